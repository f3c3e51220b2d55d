package dev.flinkref.__pkg__;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.deadletter.DeadLetterSerializer;
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
 * The real {@code main} against a real Kafka broker, on a MiniCluster whose configuration plays
 * the cluster's: RocksDB, incremental checkpoints every second. A TaskManager is lost after the
 * first completed checkpoint; the committed output (read_committed) must still be exact.
 */
class __Job__JobIT {
    private static final int PARTITIONS = 4;
    private static final int PARALLELISM = 2;
    private static final int EVENTS = 50_000;
    private static final int KEYS = 101;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    // One slot per TaskManager: losing either one fails the job.
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(PARALLELISM, 1);

    @TempDir Path checkpoints;

    @Test
    void exactlyOnceThroughATaskManagerFailureAfterACompletedCheckpoint(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        KafkaTestClient kafka = KAFKA.client();
        String input = kafka.createUniqueTopic("__job__-in", PARTITIONS);
        String suffix = input.substring(input.lastIndexOf('-') + 1);
        String output = "__job__-out-" + suffix;
        String dlq = "__job__-dlq-" + suffix;
        kafka.createTopic(output, 2);
        kafka.createTopic(dlq, 1);

        // Each key's events stay in one partition (by key), so its running counts are 1..n.
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        long[] counts = new long[KEYS];
        for (int i = 0; i < EVENTS; i++) {
            int key = i % KEYS;
            records.add(
                    new ProducerRecord<>(input, key % PARTITIONS, null, bytes("key-" + key)));
            expected.add(new KeyCount("key-" + key, ++counts[key]).toJson());
        }
        records.add(new ProducerRecord<>(input, 0, bytes("bad"), new byte[] {(byte) 0xff}));
        kafka.produce(input, records);

        JobRun job =
                JobRun.start(
                        miniCluster,
                        PARALLELISM,
                        ClusterConfigurations.rocksDbIncrementalEverySecond(checkpoints),
                        __Job__Job::main,
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
                        "--bounded");
        JobID jobId = job.awaitRunning();
        job.awaitCompletedCheckpoint(jobId);
        job.loseTaskManager();
        job.awaitCompletion(Duration.ofMinutes(5));

        assertThat(job.checkpointStats(jobId).getLatestRestoredCheckpoint())
                .as("the job restored from a completed checkpoint")
                .isNotNull();
        ExactlyOnceVerifier.assertExactlyOnce(expected, values(kafka.readCommitted(output)));
        List<ConsumerRecord<byte[], byte[]>> letters = kafka.readCommitted(dlq);
        assertThat(letters).hasSize(1);
        assertThat(header(letters.get(0), DeadLetterSerializer.ERROR_MESSAGE))
                .isEqualTo("value is not valid UTF-8");
        assertThat(job.globalJobParameters(jobId))
                .as("the effective options, shown in the Web UI")
                .containsAllEntriesOf(
                        Map.of("--input-topic", input, "--delivery-guarantee", "exactly-once"));
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8))
                .toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
