package dev.flinkref.common.options;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * {@code --kafka-properties FILE}: extra Kafka client settings (SASL, TLS, ...) for every program
 * here that talks to Kafka, typically a file mounted from a Kubernetes Secret.
 */
public final class KafkaClientProperties {
    private KafkaClientProperties() {}

    /** The option; {@code appliesTo} names the clients that get the settings, for the help. */
    public static Option<String> option(String appliesTo) {
        return Option.string(
                "kafka-properties",
                "FILE",
                "Extra Kafka client properties (SASL, TLS, ...), e.g. mounted from a Secret;"
                        + " applied to "
                        + appliesTo
                        + ".");
    }

    /** The file's properties; none without the option. An unreadable file is a usage error. */
    public static Properties from(ParsedOptions parsed, Option<String> option) {
        return parsed.find(option).map(KafkaClientProperties::load).orElseGet(Properties::new);
    }

    /** The client properties with {@code own} on top: a program's own settings win. */
    public static Properties with(Properties client, Map<String, ?> own) {
        Properties merged = new Properties();
        merged.putAll(client);
        merged.putAll(own);
        return merged;
    }

    private static Properties load(String file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | RuntimeException e) {
            throw new UsageException(
                    "cannot read --kafka-properties "
                            + file
                            + ": "
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        return properties;
    }
}
