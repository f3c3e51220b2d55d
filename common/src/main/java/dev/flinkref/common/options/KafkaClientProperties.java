package dev.flinkref.common.options;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.kafka.source.KafkaSourceOptions;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code --kafka-properties FILE}: extra Kafka client settings (SASL, TLS, ...) for every program
 * here that talks to Kafka, typically a file mounted from a Kubernetes Secret.
 */
public final class KafkaClientProperties {
    private static final String SERIALIZER = ByteArraySerializer.class.getName();
    private static final String DESERIALIZER = ByteArrayDeserializer.class.getName();

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
        validate(file, properties);
        return properties;
    }

    /**
     * A misspelt key would be ignored and a bad value fail only at the first connection, deep in a
     * restarting job: both fail here, at start, with the file named.
     */
    private static void validate(String file, Properties properties) {
        Set<String> known = new HashSet<>(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        // Flink's Kafka source takes its own settings from the same properties.
        Stream.of(
                        KafkaSourceOptions.CLIENT_ID_PREFIX,
                        KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL_MS,
                        KafkaSourceOptions.REGISTER_KAFKA_CONSUMER_METRICS,
                        KafkaSourceOptions.COMMIT_OFFSETS_ON_CHECKPOINT)
                .map(ConfigOption::key)
                .forEach(known::add);
        List<String> unknown =
                properties.stringPropertyNames().stream()
                        .filter(key -> !known.contains(key))
                        .sorted()
                        .toList();
        if (!unknown.isEmpty()) {
            throw new UsageException(
                    "--kafka-properties "
                            + file
                            + ": not a Kafka client setting: "
                            + String.join(", ", unknown));
        }
        // Settings the clients require that the programs set themselves, so parsing can check
        // the file's values alone.
        Map<Object, Object> withRequired =
                new HashMap<>(
                        Map.of(
                                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
                                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, DESERIALIZER,
                                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, DESERIALIZER,
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, SERIALIZER,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SERIALIZER));
        withRequired.putAll(properties);
        try {
            ConsumerConfig.configDef().parse(withRequired);
            ProducerConfig.configDef().parse(withRequired);
        } catch (ConfigException e) {
            throw new UsageException("--kafka-properties " + file + ": " + e.getMessage());
        }
    }
}
