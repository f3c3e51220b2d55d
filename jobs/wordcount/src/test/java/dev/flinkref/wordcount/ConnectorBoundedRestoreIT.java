package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.kafka.KafkaConnectors;
import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.kafka.KafkaBrokerExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * FLINK-31006, open in flink-connector-kafka 5.0.0-2.2: the connector's own bounded source, stopped
 * with a savepoint mid-input at parallelism 2 and restored at 3, reads every record and then runs
 * forever. When this fails after a connector upgrade, the connector finishes by itself and {@link
 * dev.flinkref.common.kafka.BoundedKafkaSource} can go ({@link BoundedRestoreIT}).
 */
class ConnectorBoundedRestoreIT {
    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(1, 3);

    @TempDir Path state;

    @Test
    void theConnectorsBoundedSourceReadsEverythingAfterARestoreAndNeverFinishes() throws Exception {
        BoundedRestoreScenario.Input input = BoundedRestoreScenario.savepointMidInput(KAFKA, state);
        JobClient restored =
                BoundedRestoreScenario.run(
                        KafkaConnectors.kafkaSource(input.options()), 3, input.savepoint());

        input.awaitEveryRecordCommitted(restored);
        // Every record read and its offset committed by a checkpoint: a bounded job is done. Six
        // more checkpoints later (500 ms apart) it still runs, its readers idle.
        Thread.sleep(3_000);
        assertThat(restored.getJobStatus().get(30, TimeUnit.SECONDS))
                .as("FLINK-31006: the restored bounded job never finishes")
                .isEqualTo(JobStatus.RUNNING);
        restored.cancel().get(30, TimeUnit.SECONDS);
    }
}
