package dev.flinkref.testkit.kafka;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A user of a broker's {@code SASL_PLAINTEXT} listener with mechanism {@code PLAIN}: the broker's
 * JAAS entry that admits it, and the client properties a job gets through {@code
 * --kafka-properties}.
 */
public record SaslPlainUser(String name, String password) {
    private static final String LOGIN_MODULE =
            "org.apache.kafka.common.security.plain.PlainLoginModule required";

    String serverJaasConfig() {
        return LOGIN_MODULE + " user_" + name + "=\"" + password + "\";";
    }

    /** Client properties that authenticate as this user. */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.setProperty("security.protocol", "SASL_PLAINTEXT");
        properties.setProperty("sasl.mechanism", "PLAIN");
        properties.setProperty(
                "sasl.jaas.config",
                LOGIN_MODULE + " username=\"" + name + "\" password=\"" + password + "\";");
        return properties;
    }

    /** Writes {@link #clientProperties()} to {@code file}, as a Secret mounted for a job. */
    public Path writeClientProperties(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            clientProperties().store(out, null);
        }
        return file;
    }
}
