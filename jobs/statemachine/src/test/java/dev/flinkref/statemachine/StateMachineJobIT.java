package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.deadletter.DeadLetterSerializer;
import dev.flinkref.statemachine.generator.EventEncoding;
import dev.flinkref.testkit.flink.ClusterConfigurations;
import dev.flinkref.testkit.flink.JobRun;
import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.kafka.KafkaBrokerExtension;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import dev.flinkref.testkit.verify.ExactlyOnceVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code main} against a real Kafka broker: 4 partitions, parallelism 2, RocksDB
 * incremental checkpoints every second, a TaskManager lost after a completed checkpoint.
 */
class StateMachineJobIT {
    private static final int PARTITIONS = 4;
    private static final int PARALLELISM = 2;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(PARALLELISM, 1);

    @TempDir Path checkpoints;

    @Test
    void jsonAlertsExactlyOnceThroughATaskManagerFailure(@InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        assertExactlyOnceThroughFailure(
                miniCluster,
                InputFormat.JSON,
                Map.of(
                        "{\"address\":\"10.9.9.9\",\"type\":\"q\"}",
                                "unknown event type \"q\" (a..g)",
                        "{\"address\":\"10.9.9\",\"type\":\"a\"}",
                                "bad \"address\": not an IPv4 dotted quad: '10.9.9'",
                        "<event/>", "invalid JSON at character 0: expected '{'"));
    }

    @Test
    void binaryAlertsExactlyOnceThroughATaskManagerFailure(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        assertExactlyOnceThroughFailure(
                miniCluster,
                InputFormat.BINARY,
                // Each key is the record value as UTF-8; the last one is 8 bytes with type code 7.
                Map.of(
                        "short", "binary event must be 8 bytes, got 5",
                        "nine byte", "binary event must be 8 bytes, got 9",
                        "\0\0\0\1\0\0\0\7", "unknown event type code 7 (0..6)"));
    }

    private void assertExactlyOnceThroughFailure(
            MiniCluster miniCluster, InputFormat format, Map<String, String> badValuesAndReasons)
            throws Exception {
        KafkaTestClient kafka = KAFKA.client();
        String name = "sm-" + format.name().toLowerCase(Locale.ROOT);
        String input = kafka.createUniqueTopic(name + "-in", PARTITIONS);
        String output = input.replace("-in-", "-out-");
        String dlq = input.replace("-in-", "-dlq-");
        kafka.createTopic(output, 2);
        kafka.createTopic(dlq, 1);

        long start = System.currentTimeMillis() - Duration.ofMinutes(30).toMillis();
        GeneratedInput generated = GeneratedInput.generate(5, 2_000, 0.002, 600_000, start);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Event event : generated.events()) {
            // Keyed by address: one machine's events share a partition and stay in order.
            records.add(
                    new ProducerRecord<>(
                            input,
                            null,
                            event.timestamp,
                            EventEncoding.key(event),
                            EventEncoding.encode(event, format)));
        }
        badValuesAndReasons
                .keySet()
                .forEach(
                        bad ->
                                records.add(
                                        new ProducerRecord<>(
                                                input, null, start, null, bytes(bad))));
        kafka.produce(input, records);

        JobRun job =
                JobRun.start(
                        miniCluster,
                        PARALLELISM,
                        ClusterConfigurations.rocksDbIncrementalEverySecond(checkpoints),
                        StateMachineJob::main,
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--input-topic",
                        input,
                        "--output-topic",
                        output,
                        "--dlq-topic",
                        dlq,
                        "--group-id",
                        input,
                        "--transactional-id-prefix",
                        input,
                        "--input-format",
                        format.name().toLowerCase(Locale.ROOT),
                        "--bounded");
        JobID jobId = job.awaitRunning();
        job.awaitCompletedCheckpoint(jobId);
        job.loseTaskManager();
        job.awaitCompletion(Duration.ofMinutes(5));

        assertThat(job.checkpointStats(jobId).getLatestRestoredCheckpoint())
                .as("the job restored from a completed checkpoint")
                .isNotNull();
        List<String> alerts =
                kafka.readCommitted(output).stream().map(r -> utf8(r.value())).toList();
        assertThat(generated.expectedAlerts()).hasSizeGreaterThan(600);
        ExactlyOnceVerifier.assertExactlyOnce(generated.expectedAlertsJson(), alerts);

        List<ConsumerRecord<byte[], byte[]>> letters = kafka.readCommitted(dlq);
        ExactlyOnceVerifier.assertExactlyOnce(
                badValuesAndReasons.keySet(), letters.stream().map(r -> utf8(r.value())).toList());
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertThat(header(letter, DeadLetterSerializer.ERROR_MESSAGE))
                    .isEqualTo(badValuesAndReasons.get(utf8(letter.value())));
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : utf8(header.value());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
