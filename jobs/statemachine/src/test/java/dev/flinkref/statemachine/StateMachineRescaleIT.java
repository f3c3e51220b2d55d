package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.statemachine.generator.EventEncoding;
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
 * retained checkpoint. Each snapshot holds machines half-way through their transitions, their TTL
 * timers and the operator's checkpointed cache; they move between subtasks by key group, and the
 * committed alerts (read_committed) must still be exactly those the generator expects. The last run
 * must finish by itself ({@code BoundedKafkaSource}, FLINK-31006).
 */
class StateMachineRescaleIT {
    /** As many partitions as the largest parallelism: no source subtask idles (docs: Scaling). */
    private static final int PARTITIONS = 12;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(3, 4);

    @TempDir Path state;

    @ParameterizedTest
    @EnumSource(Snapshot.class)
    void exactAlertsRescaledFrom4To12To3(
            Snapshot snapshot, @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        KafkaTestClient kafka = KAFKA.client();
        String input = kafka.createUniqueTopic("sm-rescale-in", PARTITIONS);
        String output = input.replace("-in-", "-out-");
        String dlq = input.replace("-in-", "-dlq-");
        kafka.createTopic(output, 2);
        kafka.createTopic(dlq, 1);
        long start = System.currentTimeMillis() - Duration.ofMinutes(30).toMillis();
        GeneratedInput generated = GeneratedInput.generate(7, 2_000, 0.002, 300_000, start);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Event event : generated.events()) {
            // Keyed by address: one machine's events share a partition and stay in order.
            records.add(
                    new ProducerRecord<>(
                            input,
                            null,
                            event.timestamp,
                            EventEncoding.key(event),
                            EventEncoding.encode(event, InputFormat.JSON)));
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
        // ~1.7 MB a partition at 128 KB/s a source subtask: the run at 12 needs ~13 s to finish a
        // partition, several times its start and first checkpoint. The last run reads the rest
        // at full speed.
        new Rescaling(miniCluster, state)
                .fourToTwelveToThree(
                        kafka.admin(), input, 128 * 1024, snapshot, StateMachineJob::main, args);
        assertThat(generated.expectedAlerts()).hasSizeGreaterThan(300);
        List<String> alerts =
                kafka.readCommitted(output).stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .toList();
        ExactlyOnceVerifier.assertExactlyOnce(generated.expectedAlertsJson(), alerts);
        assertThat(kafka.readCommitted(dlq)).isEmpty();
    }
}
