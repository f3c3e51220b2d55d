package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkref.common.env.JobEnvironment;
import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.testkit.flink.MiniClusters;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the explicit max parallelism of the jobs' defaults ({@link JobEnvironment}) does to state
 * taken without one: the committed savepoint was taken with Flink's implicit 128 key groups.
 *
 * <p>Flink adopts a savepoint's max parallelism only if the job did not configure one ({@link
 * SavepointCompatibilityTest} restores it so); the jobs now do (720), so Flink 2.2.0 refuses the
 * old savepoint when it creates the job's scheduler ({@code
 * Checkpoints.loadAndValidateCheckpoint}): the job never runs, nothing is read or written. A
 * deployment with such state keeps {@code pipeline.max-parallelism: "128"} in its cluster
 * configuration (which wins over the job's default); its state then restores, also at another
 * parallelism.
 */
class MaxParallelismRestoreTest {
    private static final int PARALLELISM = 3;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(1, PARALLELISM);

    @Test
    void theJobsDefaultRefusesStateTakenWithTheImplicit128() {
        assertThatThrownBy(() -> restoreAndRun(new Configuration()))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "Max parallelism mismatch between checkpoint/savepoint state and new"
                                + " program. Cannot map operator")
                .hasMessageContaining(
                        "with max parallelism 128 to new program with max parallelism 720");
    }

    @Test
    void aClusterKeeping128RestoresTheSavedMachinesAtAnotherParallelism() throws Exception {
        Configuration cluster = new Configuration();
        cluster.set(PipelineOptions.MAX_PARALLELISM, 128);

        assertThat(restoreAndRun(cluster))
                .containsExactlyInAnyOrderElementsOf(SavepointScenario.PHASE_2_ALERTS);
    }

    /**
     * The fixture's phase 2 as {@link SavepointCompatibilityTest} runs it, but in an environment
     * configured as the job's main configures it: the cluster's keys plus the job's defaults for
     * the rest.
     */
    private static List<Alert> restoreAndRun(Configuration cluster) throws Exception {
        URL savepoint =
                MaxParallelismRestoreTest.class.getResource(SavepointScenario.SAVEPOINT_RESOURCE);
        assertThat(savepoint).as("committed savepoint").isNotNull();
        Configuration config = new Configuration(cluster);
        config.set(PipelineOptions.GENERIC_TYPES, false);
        config.set(
                StateRecoveryOptions.SAVEPOINT_PATH, Path.of(savepoint.toURI()).toUri().toString());
        // The fixture's source and collect sink are not part of this job.
        config.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        config.addAll(JobEnvironment.missingDefaults(config));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        // Everything before the keyBy in one subtask, as one Kafka partition: a machine's events
        // stay in order (a rebalance to 3 subtasks would reorder them).
        env.setParallelism(1);

        StateMachineTopology.Outputs outputs =
                StateMachineTopology.build(
                        env.fromData(
                                        SavepointScenario.PHASE_2,
                                        TypeInformation.of(KafkaInputRecord.class))
                                .uid("phase-2-events")
                                .assignTimestampsAndWatermarks(StateMachineTopology.watermarks())
                                .uid("phase-2-watermarks"),
                        StateMachineOptions.parse("--bootstrap-servers", "unused:9"));
        // The saved machines (one subtask, 128 key groups) go to 3 subtasks.
        outputs.alerts().getTransformation().setParallelism(PARALLELISM);
        List<Alert> alerts = new ArrayList<>();
        try (CloseableIterator<Alert> iterator = outputs.alerts().executeAndCollect()) {
            iterator.forEachRemaining(alerts::add);
        }
        return alerts;
    }
}
