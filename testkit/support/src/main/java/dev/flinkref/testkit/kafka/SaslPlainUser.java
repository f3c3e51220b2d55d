package dev.flinkref.testkit.kafka;

import java.util.Properties;

/**
 * A user of a broker's authenticated listener (SASL mechanism {@code PLAIN}): the broker's JAAS
 * entry that admits it, and the SASL part of the client properties a job gets through {@code
 * --kafka-properties}.
 */
public record SaslPlainUser(String name, String password) {
    private static final String LOGIN_MODULE =
            "org.apache.kafka.common.security.plain.PlainLoginModule required";

    String serverJaasConfig() {
        return LOGIN_MODULE + " user_" + name + "=\"" + password + "\";";
    }

    Properties saslProperties() {
        Properties properties = new Properties();
        properties.setProperty("sasl.mechanism", "PLAIN");
        properties.setProperty(
                "sasl.jaas.config",
                LOGIN_MODULE + " username=\"" + name + "\" password=\"" + password + "\";");
        return properties;
    }
}
