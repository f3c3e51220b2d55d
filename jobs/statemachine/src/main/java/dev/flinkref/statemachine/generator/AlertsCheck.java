package dev.flinkref.statemachine.generator;

import dev.flinkref.common.options.HelpRequested;
import dev.flinkref.common.options.KafkaClientProperties;
import dev.flinkref.common.options.Option;
import dev.flinkref.common.options.OptionParser;
import dev.flinkref.common.options.ParsedOptions;
import dev.flinkref.common.options.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Compares the job's committed alerts with a generator's expected-alerts file, so a run can be
 * checked exactly without Kafka's command-line tools: {@code scripts/generate-events check}.
 *
 * <p>Reads with {@code isolation.level=read_committed}: alerts of a transaction the job has not
 * committed yet (it commits with each checkpoint) are not there yet, and aborted ones never are.
 */
public final class AlertsCheck {
    private static final Option<String> BOOTSTRAP =
            Option.string("bootstrap-servers", "HOST:PORT[,...]", "Kafka bootstrap servers.")
                    .withEnvFallback("KAFKA_BOOTSTRAP_SERVERS")
                    .required();
    private static final Option<String> TOPIC =
            Option.string("topic", "TOPIC", "The job's alert topic.")
                    .withDefault("statemachine-output");
    private static final Option<String> EXPECTED_ALERTS =
            Option.string(
                            "expected-alerts",
                            "FILE",
                            "The file generate-events --expected-alerts wrote.")
                    .required();
    private static final Option<Duration> WAIT =
            Option.duration(
                            "wait",
                            "Keep reading for up to this long until the alerts match (a running"
                                    + " job commits with each checkpoint).")
                    .withDefault(Duration.ZERO);

    private static final Option<String> KAFKA_PROPERTIES =
            KafkaClientProperties.option("the consumer");

    private static final OptionParser PARSER =
            new OptionParser(
                    "generate-events check",
                    "Compares the job's committed alerts with the expected alerts of a generator"
                            + " run; exit code 0 when they match exactly, 1 otherwise.",
                    List.of(BOOTSTRAP, TOPIC, EXPECTED_ALERTS, WAIT, KAFKA_PROPERTIES));

    private static final Duration POLL = Duration.ofMillis(200);

    private AlertsCheck() {}

    public static void main(String[] args) throws Exception {
        ParsedOptions options;
        Properties clientProperties;
        try {
            options = PARSER.parse(args);
            clientProperties = KafkaClientProperties.from(options, KAFKA_PROPERTIES);
        } catch (HelpRequested help) {
            System.out.println(help.usage());
            return;
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path file = Path.of(options.get(EXPECTED_ALERTS));
        List<String> expected;
        try {
            expected = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("generate-events check: cannot read " + file + ": " + e);
            System.exit(2);
            return;
        }
        AlertsDiff diff;
        try {
            diff =
                    check(
                            options.get(BOOTSTRAP),
                            clientProperties,
                            options.get(TOPIC),
                            expected,
                            options.get(WAIT));
        } catch (IllegalStateException e) {
            System.err.println("generate-events check: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println(options.get(TOPIC) + ": " + diff.describe(3));
        System.exit(diff.exact() ? 0 : 1);
    }

    /** Reads the topic to its end, again until {@code wait} is over, until the alerts match. */
    static AlertsDiff check(
            String bootstrapServers,
            Properties clientProperties,
            String topic,
            List<String> expected,
            Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<String> committed = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                consumer(bootstrapServers, clientProperties)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                readToEnd(consumer, partitions, committed);
                AlertsDiff diff = AlertsDiff.of(expected, committed);
                if (diff.exact() || System.nanoTime() >= deadline) {
                    return diff;
                }
                Thread.sleep(1_000);
            }
        }
    }

    private static void readToEnd(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            List<String> into) {
        // With read_committed the end offsets are the last stable offsets: open transactions stop
        // there, so this returns once everything committed so far has been read.
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            consumer.poll(POLL)
                    .forEach(
                            record -> into.add(new String(record.value(), StandardCharsets.UTF_8)));
        }
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(
            String bootstrapServers, Properties clientProperties) {
        return new KafkaConsumer<>(
                KafkaClientProperties.with(
                        clientProperties,
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false)),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
