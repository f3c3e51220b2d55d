package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.flink.Rescaling;
import dev.flinkref.testkit.flink.Snapshot;
import dev.flinkref.testkit.kafka.ConsumerRateLimit;
import dev.flinkref.testkit.kafka.KafkaBrokerExtension;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import dev.flinkref.testkit.verify.ExactlyOnceVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real {@code main}, {@code --bounded}, rescaled twice mid-input: started at parallelism 4,
 * restored at 12 (the prod autoscaler's maximum), restored again at 3, from a savepoint or from a
 * retained checkpoint. Window state that is half-counted at each snapshot moves between subtasks by
 * key group; the committed output (read_committed) must still equal the counts computed without
 * Flink, and the last run must finish by itself (the connector's FLINK-31006, worked around by
 * {@code BoundedKafkaSource}).
 */
class WordCountRescaleIT {
    /** As many partitions as the largest parallelism: no source subtask idles (docs: Scaling). */
    private static final int PARTITIONS = 12;

    private static final Duration WINDOW = Duration.ofSeconds(5);

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(3, 4);

    @TempDir Path state;

    @ParameterizedTest
    @EnumSource(Snapshot.class)
    void exactCountsRescaledFrom4To12To3(
            Snapshot snapshot, @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        KafkaTestClient kafka = KAFKA.client();
        String input = kafka.createUniqueTopic("wc-rescale-in", PARTITIONS);
        String output = input.replace("-in-", "-out-");
        String dlq = input.replace("-in-", "-dlq-");
        kafka.createTopic(output, 2);
        kafka.createTopic(dlq, 1);
        List<TimedLine> lines = TimedLine.generate(21, 200_000, startOfWindow(), 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            TimedLine line = lines.get(i);
            records.add(
                    new ProducerRecord<>(
                            input,
                            i % PARTITIONS,
                            line.timestamp(),
                            null,
                            line.text().getBytes(StandardCharsets.UTF_8)));
        }
        kafka.produce(input, records);
        String[] args = {
            "--bootstrap-servers", KAFKA.bootstrapServers(),
            "--input-topic", input,
            "--output-topic", output,
            "--dlq-topic", dlq,
            "--group-id", input,
            "--transactional-id-prefix", input,
            "--kafka-properties",
                    ConsumerRateLimit.smallFetchProperties(state.resolve("client.properties"))
                            .toString(),
            "--bounded"
        };
        // ~1 MB a partition (4 producer batches) at 128 KB/s a source subtask: the run at 12
        // needs ~7 s to finish a partition, more than twice its start and first checkpoint. The
        // last run reads the rest at full speed.
        new Rescaling(miniCluster, state)
                .fourToTwelveToThree(
                        kafka.admin(), input, 128 * 1024, snapshot, WordCountJob::main, args);
        List<String> expected =
                TimedLine.expectedCounts(lines, WINDOW).stream()
                        .map(WordCountJson::encode)
                        .toList();
        List<String> actual =
                kafka.readCommitted(output).stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .toList();
        ExactlyOnceVerifier.assertExactlyOnce(expected, actual);
        assertThat(kafka.readCommitted(dlq)).isEmpty();
    }

    private static long startOfWindow() {
        long hourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        return hourAgo - Math.floorMod(hourAgo, WINDOW.toMillis());
    }
}
