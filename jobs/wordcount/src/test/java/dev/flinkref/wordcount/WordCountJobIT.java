package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkref.common.deadletter.DeadLetterSerializer;
import dev.flinkref.testkit.flink.ClusterConfigurations;
import dev.flinkref.testkit.flink.JobRun;
import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.kafka.KafkaBrokerExtension;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import dev.flinkref.testkit.kafka.LocalKafkaBroker;
import dev.flinkref.testkit.kafka.SaslPlainUser;
import dev.flinkref.testkit.verify.ExactlyOnceVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code main} against a real Kafka broker on a MiniCluster whose configuration plays the
 * cluster's {@code config.yaml}: RocksDB, incremental checkpoints every second.
 */
class WordCountJobIT {
    private static final int PARTITIONS = 4;
    private static final int PARALLELISM = 2;
    private static final Duration WINDOW = Duration.ofSeconds(5);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    // One slot per TaskManager: the job's two slots are on different TaskManagers, so losing
    // either one fails the job. The failure test starts a replacement, keeping two for the next.
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(PARALLELISM, 1);

    @TempDir Path checkpoints;

    @Test
    void exactlyOnceThroughATaskManagerFailureAfterACompletedCheckpoint(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        Topics topics = createTopics("eo");
        List<TimedLine> lines = TimedLine.generate(42, 200_000, startOfWindow(), 2);
        List<byte[]> invalid = invalidUtf8Values();
        produce(topics.input, lines, invalid);

        String transactionalIdPrefix = "wc-eo-" + topics.suffix;
        JobRun job = runMain(miniCluster, topics, transactionalIdPrefix, "exactly-once");
        JobID jobId = job.awaitRunning();
        job.awaitCompletedCheckpoint(jobId);
        job.loseTaskManager();
        job.awaitCompletion(Duration.ofMinutes(5));

        assertThat(job.checkpointStats(jobId).getLatestRestoredCheckpoint())
                .as("the job restored from a completed checkpoint")
                .isNotNull();
        assertExactCounts(topics.output, lines);
        assertDeadLetters(topics, invalid);
        assertThat(transactionalIdsWithPrefix(transactionalIdPrefix))
                .as("exactly-once writes in Kafka transactions")
                .isNotEmpty();
    }

    @Test
    void atLeastOnceWritesWithoutTransactions(@InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        Topics topics = createTopics("alo");
        List<TimedLine> lines = TimedLine.generate(43, 3_000, startOfWindow(), 20);
        produce(topics.input, lines, List.of());

        String transactionalIdPrefix = "wc-alo-" + topics.suffix;
        runMain(miniCluster, topics, transactionalIdPrefix, "at-least-once")
                .awaitCompletion(Duration.ofMinutes(5));

        assertExactCounts(topics.output, lines);
        assertThat(transactionalIdsWithPrefix(transactionalIdPrefix)).isEmpty();
    }

    @Test
    void connectsOverTlsAndSaslWithTheClientPropertiesOfKafkaProperties(
            @InjectMiniCluster MiniCluster miniCluster, @TempDir Path brokerDir) throws Exception {
        SaslPlainUser user = new SaslPlainUser("wordcount", "test-only-password");
        LocalKafkaBroker broker = LocalKafkaBroker.withSaslSslListener(brokerDir, user);
        broker.start();
        try (KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers())) {
            Topics topics = createTopics(client, "sasl");
            List<TimedLine> lines = TimedLine.generate(44, 3_000, startOfWindow(), 20);
            List<byte[]> invalid = invalidUtf8Values().subList(0, 1); // one per 10,000 lines
            produce(client, topics.input, lines, invalid);
            // As mounted from a Secret in Kubernetes (k8s/components/kafka-client-properties).
            Path properties =
                    broker.writeClientProperties(user, brokerDir.resolve("client.properties"));

            // The job gets only the SASL_SSL address: source, sink and dead-letter sink all have
            // to trust the broker and log in with the file's properties to get anything through.
            runMain(
                            miniCluster,
                            broker.saslBootstrapServers(),
                            topics,
                            "wc-sasl-" + topics.suffix,
                            "exactly-once",
                            "--kafka-properties",
                            properties.toString())
                    .awaitCompletion(Duration.ofMinutes(5));

            assertExactCounts(client, topics.output, lines);
            assertThat(client.readCommitted(topics.dlq)).hasSize(invalid.size());
            assertThatThrownBy(
                            () -> describeCluster(broker.saslBootstrapServers(), new Properties()))
                    .as("the address the job had does not serve unauthenticated clients")
                    .isInstanceOf(ExecutionException.class);
            Properties wrongPassword =
                    broker.clientProperties(new SaslPlainUser(user.name(), "wrong-password"));
            assertThatThrownBy(() -> describeCluster(broker.saslBootstrapServers(), wrongPassword))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
            Properties noTruststore = broker.clientProperties(user);
            noTruststore.stringPropertyNames().stream()
                    .filter(key -> key.startsWith("ssl.truststore."))
                    .forEach(noTruststore::remove);
            assertThatThrownBy(() -> describeCluster(broker.saslBootstrapServers(), noTruststore))
                    .as("the broker's certificate is verified")
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        } finally {
            broker.stop();
        }
    }

    private static void describeCluster(String bootstrapServers, Properties properties)
            throws Exception {
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 6_000);
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private record Topics(String suffix, String input, String output, String dlq) {}

    private static Topics createTopics(String name) {
        return createTopics(KAFKA.client(), name);
    }

    private static Topics createTopics(KafkaTestClient client, String name) {
        String input = KafkaTestClient.uniqueTopicName("wc-" + name + "-in");
        String suffix = input.substring(input.lastIndexOf('-') + 1);
        Topics topics =
                new Topics(
                        suffix,
                        input,
                        "wc-" + name + "-out-" + suffix,
                        "wc-" + name + "-dlq-" + suffix);
        client.createTopic(topics.input, PARTITIONS);
        client.createTopic(topics.output, 2);
        client.createTopic(topics.dlq, 1);
        return topics;
    }

    /** Lines spread over all partitions, each partition in timestamp order, bad values mixed in. */
    private static void produce(String topic, List<TimedLine> lines, List<byte[]> invalid) {
        produce(KAFKA.client(), topic, lines, invalid);
    }

    private static void produce(
            KafkaTestClient client, String topic, List<TimedLine> lines, List<byte[]> invalid) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            TimedLine line = lines.get(i);
            records.add(
                    new ProducerRecord<>(
                            topic,
                            i % PARTITIONS,
                            line.timestamp(),
                            null,
                            line.text().getBytes(StandardCharsets.UTF_8)));
            if (i % 10_000 == 0 && i / 10_000 < invalid.size()) {
                records.add(
                        new ProducerRecord<>(
                                topic,
                                i % PARTITIONS,
                                line.timestamp(),
                                bytes("bad-" + i / 10_000),
                                invalid.get(i / 10_000)));
            }
        }
        client.produce(topic, records);
    }

    private static List<byte[]> invalidUtf8Values() {
        return List.of(
                new byte[] {'c', 'a', 'f', (byte) 0xe9},
                new byte[] {(byte) 0xff},
                new byte[] {'a', (byte) 0xe6, (byte) 0x9d},
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80});
    }

    private JobRun runMain(
            MiniCluster miniCluster,
            Topics topics,
            String transactionalIdPrefix,
            String guarantee) {
        return runMain(
                miniCluster, KAFKA.bootstrapServers(), topics, transactionalIdPrefix, guarantee);
    }

    private JobRun runMain(
            MiniCluster miniCluster,
            String bootstrapServers,
            Topics topics,
            String transactionalIdPrefix,
            String guarantee,
            String... extraArgs) {
        List<String> args = new ArrayList<>();
        Collections.addAll(
                args,
                "--bootstrap-servers",
                bootstrapServers,
                "--input-topic",
                topics.input,
                "--output-topic",
                topics.output,
                "--dlq-topic",
                topics.dlq,
                "--group-id",
                "wc-" + topics.suffix,
                "--transactional-id-prefix",
                transactionalIdPrefix,
                "--delivery-guarantee",
                guarantee,
                "--window-size",
                "5s",
                "--bounded");
        Collections.addAll(args, extraArgs);
        return JobRun.start(
                miniCluster,
                PARALLELISM,
                ClusterConfigurations.rocksDbIncrementalEverySecond(checkpoints),
                WordCountJob::main,
                args.toArray(String[]::new));
    }

    private static void assertExactCounts(String topic, List<TimedLine> lines) {
        assertExactCounts(KAFKA.client(), topic, lines);
    }

    private static void assertExactCounts(
            KafkaTestClient client, String topic, List<TimedLine> lines) {
        List<String> expected =
                TimedLine.expectedCounts(lines, WINDOW).stream()
                        .map(WordCountJson::encode)
                        .toList();
        List<ConsumerRecord<byte[], byte[]>> records = client.readCommitted(topic);
        List<String> actual = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(value)
                    .contains(
                            "\"word\":\""
                                    + new String(record.key(), StandardCharsets.UTF_8)
                                    + "\"");
            actual.add(value);
        }
        ExactlyOnceVerifier.assertExactlyOnce(expected, actual);
    }

    private static void assertDeadLetters(Topics topics, List<byte[]> invalid) {
        HexFormat hex = HexFormat.of();
        List<String> expected = invalid.stream().map(hex::formatHex).toList();
        List<ConsumerRecord<byte[], byte[]>> letters = KAFKA.client().readCommitted(topics.dlq);
        ExactlyOnceVerifier.assertExactlyOnce(
                expected, letters.stream().map(r -> hex.formatHex(r.value())).toList());
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).startsWith("bad-");
            assertThat(header(letter, DeadLetterSerializer.ERROR_MESSAGE))
                    .startsWith("value is not valid UTF-8: malformed byte sequence at offset ");
            assertThat(header(letter, DeadLetterSerializer.SOURCE_TOPIC)).isEqualTo(topics.input);
            assertThat(header(letter, DeadLetterSerializer.ERROR_CLASS))
                    .isEqualTo("dev.flinkref.common.deadletter.MalformedRecordException");
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<String> transactionalIdsWithPrefix(String prefix) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KAFKA.bootstrapServers()))) {
            return admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(prefix))
                    .toList();
        }
    }

    private static long startOfWindow() {
        long hourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        return hourAgo - Math.floorMod(hourAgo, WINDOW.toMillis());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
