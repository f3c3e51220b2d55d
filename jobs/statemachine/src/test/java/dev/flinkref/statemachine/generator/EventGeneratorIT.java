package dev.flinkref.statemachine.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkref.statemachine.Alert;
import dev.flinkref.statemachine.AlertJson;
import dev.flinkref.statemachine.EventType;
import dev.flinkref.statemachine.Ipv4;
import dev.flinkref.statemachine.State;
import dev.flinkref.statemachine.StateMachineJob;
import dev.flinkref.testkit.flink.ClusterConfigurations;
import dev.flinkref.testkit.flink.JobRun;
import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.kafka.KafkaBrokerExtension;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import dev.flinkref.testkit.kafka.LocalKafkaBroker;
import dev.flinkref.testkit.kafka.SaslPlainUser;
import dev.flinkref.testkit.verify.ExactlyOnceVerifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator as users run it, against a real broker, and the check the README promises: the job
 * run with {@code --bounded} over the generated topic commits exactly the alerts of the generator's
 * expected-alerts file.
 */
class EventGeneratorIT {
    private static final int PARTITIONS = 4;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(1, 2);

    @TempDir Path work;

    @Test
    void theJobRaisesExactlyTheExpectedAlertsOfAGeneratorRun(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        KafkaTestClient kafka = KAFKA.client();
        String topic = KafkaTestClient.uniqueTopicName("generated");
        String output = topic + "-alerts";
        kafka.createTopic(output, 1);
        Path expectedAlerts = work.resolve("expected-alerts.jsonl");

        EventGenerator.Summary summary =
                EventGenerator.run(
                        EventGenerator.parse(
                                "--bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "--topic",
                                topic,
                                "--partitions",
                                String.valueOf(PARTITIONS),
                                "--addresses",
                                "300",
                                "--rate",
                                "0",
                                "--count",
                                "40000",
                                "--invalid-ratio",
                                "0.01",
                                "--seed",
                                "42",
                                "--format",
                                "binary",
                                "--expected-alerts",
                                expectedAlerts.toString()));

        List<String> expected = Files.readAllLines(expectedAlerts, StandardCharsets.UTF_8);
        assertThat(summary.events()).isEqualTo(40_000);
        assertThat(expected).hasSize((int) summary.invalidEvents()).hasSizeGreaterThan(300);

        // What is in the topic: every event, keyed by address, each address in one partition,
        // and replaying the table over it gives the file's alerts.
        List<ConsumerRecord<byte[], byte[]>> written = kafka.readCommitted(topic);
        assertThat(written).hasSize(40_000);
        assertThat(replay(written)).containsExactlyInAnyOrderElementsOf(expected);

        runJobToTheEnd(miniCluster, KAFKA.bootstrapServers(), topic, output);

        List<String> alerts =
                kafka.readCommitted(output).stream()
                        .map(record -> new String(record.value(), StandardCharsets.UTF_8))
                        .toList();
        ExactlyOnceVerifier.assertExactlyOnce(expected, alerts);

        // The same verdict from the check users run (scripts/generate-events check).
        assertThat(
                        AlertsCheck.check(
                                KAFKA.bootstrapServers(),
                                new Properties(),
                                output,
                                expected,
                                Duration.ZERO))
                .satisfies(diff -> assertThat(diff.exact()).as(diff.describe(3)).isTrue());
        List<String> oneMore = new ArrayList<>(expected);
        oneMore.add("{\"address\":\"10.9.9.9\",\"state\":\"W\",\"event\":\"a\",\"ts\":1}");
        assertThat(
                        AlertsCheck.check(
                                        KAFKA.bootstrapServers(),
                                        new Properties(),
                                        output,
                                        oneMore,
                                        Duration.ZERO)
                                .missing())
                .containsExactly(oneMore.get(oneMore.size() - 1));
    }

    @Test
    void aMissingTopicFailsFastUnlessPartitionsAreGiven() {
        String topic = KafkaTestClient.uniqueTopicName("missing");

        assertThatThrownBy(
                        () ->
                                EventGenerator.run(
                                        EventGenerator.parse(
                                                "--bootstrap-servers",
                                                KAFKA.bootstrapServers(),
                                                "--topic",
                                                topic,
                                                "--count",
                                                "10")))
                .isInstanceOf(EventGenerator.GenerationFailed.class)
                .hasMessage(
                        "topic "
                                + topic
                                + " does not exist on "
                                + KAFKA.bootstrapServers()
                                + "; create it or pass --partitions N");
    }

    @Test
    void generatorJobAndCheckAllAuthenticateWithKafkaProperties(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        SaslPlainUser user = new SaslPlainUser("statemachine", "test-only-password");
        LocalKafkaBroker broker =
                LocalKafkaBroker.withSaslSslListener(work.resolve("broker"), user);
        broker.start();
        try (KafkaTestClient plain = new KafkaTestClient(broker.bootstrapServers())) {
            // Everything below gets only the authenticated address and the properties file.
            String sasl = broker.saslBootstrapServers();
            Path properties = broker.writeClientProperties(user, work.resolve("client.properties"));
            String topic = KafkaTestClient.uniqueTopicName("sasl");
            String output = topic + "-alerts";
            plain.createTopic(output, 1);
            Path expectedAlerts = work.resolve("expected-alerts.jsonl");

            EventGenerator.run(
                    EventGenerator.parse(
                            "--bootstrap-servers",
                            sasl,
                            "--kafka-properties",
                            properties.toString(),
                            "--topic",
                            topic,
                            "--partitions",
                            String.valueOf(PARTITIONS),
                            "--addresses",
                            "100",
                            "--count",
                            "5000",
                            "--invalid-ratio",
                            "0.02",
                            "--seed",
                            "7",
                            "--format",
                            "binary",
                            "--expected-alerts",
                            expectedAlerts.toString()));
            runJobToTheEnd(
                    miniCluster, sasl, topic, output, "--kafka-properties", properties.toString());

            List<String> expected = Files.readAllLines(expectedAlerts, StandardCharsets.UTF_8);
            assertThat(plain.readCommitted(topic)).hasSize(5_000);
            assertThat(expected).isNotEmpty();
            ExactlyOnceVerifier.assertExactlyOnce(
                    expected,
                    plain.readCommitted(output).stream()
                            .map(record -> new String(record.value(), StandardCharsets.UTF_8))
                            .toList());
            assertThat(
                            AlertsCheck.check(
                                    sasl,
                                    broker.clientProperties(user),
                                    output,
                                    expected,
                                    Duration.ZERO))
                    .satisfies(diff -> assertThat(diff.exact()).as(diff.describe(3)).isTrue());
        } finally {
            broker.stop();
        }
    }

    /** The real {@code main} with {@code --bounded}: it finishes once the topic is drained. */
    private void runJobToTheEnd(
            MiniCluster miniCluster,
            String bootstrapServers,
            String topic,
            String output,
            String... extraArgs)
            throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                bootstrapServers,
                                "--input-topic",
                                topic,
                                "--output-topic",
                                output,
                                "--dlq-topic",
                                output + "-dlq",
                                "--group-id",
                                topic,
                                "--transactional-id-prefix",
                                topic,
                                "--input-format",
                                "binary",
                                "--bounded"));
        args.addAll(List.of(extraArgs));
        JobRun.start(
                        miniCluster,
                        2,
                        ClusterConfigurations.rocksDbIncrementalEverySecond(
                                work.resolve("chk-" + topic)),
                        StateMachineJob::main,
                        args.toArray(String[]::new))
                .awaitCompletion(Duration.ofMinutes(3));
    }

    /** The transition table replayed over the topic, per partition in offset order. */
    private static List<String> replay(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, Integer> partitionOfAddress = new HashMap<>();
        Map<Integer, State> states = new HashMap<>();
        List<String> alerts = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> ordered = new ArrayList<>(records);
        ordered.sort(
                Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                        .thenComparingLong(ConsumerRecord::offset));
        for (ConsumerRecord<byte[], byte[]> record : ordered) {
            ByteBuffer value = ByteBuffer.wrap(record.value());
            int address = value.getInt();
            EventType type = EventType.ofCode(value.getInt());
            assertThat(new String(record.key(), StandardCharsets.UTF_8))
                    .isEqualTo(Ipv4.format(address));
            assertThat(partitionOfAddress.putIfAbsent(address, record.partition()))
                    .as("partition of %s", Ipv4.format(address))
                    .isIn(null, record.partition());

            State state = states.getOrDefault(address, State.INITIAL);
            Optional<State> next = state.next(type);
            if (next.isEmpty()) {
                alerts.add(AlertJson.encode(new Alert(address, state, type, record.timestamp())));
            } else if (next.get() == State.TERMINAL) {
                states.remove(address);
            } else {
                states.put(address, next.get());
            }
        }
        return alerts;
    }
}
