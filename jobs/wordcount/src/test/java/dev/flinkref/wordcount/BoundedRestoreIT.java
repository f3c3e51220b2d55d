package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.kafka.KafkaConnectors;
import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.kafka.KafkaBrokerExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --bounded} after a restore: the jobs' source ({@link
 * dev.flinkref.common.kafka.BoundedKafkaSource}), stopped with a savepoint mid-input at parallelism
 * 2 and restored at 3, finishes having read every record exactly once. {@link
 * ConnectorBoundedRestoreIT} shows the connector's own source does not (FLINK-31006).
 */
class BoundedRestoreIT {
    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(1, 3);

    @TempDir Path state;

    @Test
    void theJobsSourceFinishesAfterARestoreAtAnotherParallelism() throws Exception {
        BoundedRestoreScenario.Input input = BoundedRestoreScenario.savepointMidInput(KAFKA, state);
        JobClient restored =
                BoundedRestoreScenario.run(
                        KafkaConnectors.source(input.options()), 3, input.savepoint());

        long afterRestore =
                restored.getJobExecutionResult()
                        .get(2, TimeUnit.MINUTES)
                        .<Long>getAccumulatorResult(BoundedRestoreScenario.READ);
        // Stopped with a savepoint, the first run read nothing after it: together, every record
        // exactly once.
        assertThat(input.readBeforeSavepoint()).isPositive();
        assertThat(afterRestore).isPositive();
        assertThat(input.readBeforeSavepoint() + afterRestore)
                .isEqualTo(BoundedRestoreScenario.RECORDS);
    }
}
