package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.testkit.flink.MiniClusters;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Restores the savepoint committed under {@code src/test/resources/savepoints/statemachine-v1}
 * (taken from this job; see {@link StateMachineSavepointFixture} to regenerate it) into the current
 * job and checks that the saved machines continue where they were.
 *
 * <p>A change that breaks state compatibility fails here: a new uid or state name loses the saved
 * machines (phase 2 then raises other alerts); an incompatible serializer fails the restore.
 */
class SavepointCompatibilityTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(1, 4);

    /** The savepoint was taken from the KeyedProcessFunction: it restores into both. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Implementation.class)
    void savedMachinesContinueAfterRestore(Implementation implementation) throws Exception {
        assertThat(
                        restoreAndRun(
                                SavepointScenario.SAVEPOINT_RESOURCE,
                                "rocksdb",
                                implementation,
                                unchanged()))
                .isEqualTo(SavepointScenario.PHASE_2_ALERTS);
    }

    @Test
    void aCanonicalSavepointAlsoRestoresIntoTheHeapBackend() throws Exception {
        assertThat(restoreAndRun("hashmap", unchanged()))
                .isEqualTo(SavepointScenario.PHASE_2_ALERTS);
    }

    /**
     * Proves the check above has teeth: the same job with the state machine under another uid finds
     * no saved machines (every address starts in Initial again), and its alerts differ.
     */
    @Test
    void aChangedUidLosesTheSavedMachines() throws Exception {
        List<Alert> alerts =
                restoreAndRun(
                        "rocksdb",
                        outputs -> outputs.alerts().getTransformation().setUid("state-machine-v2"));

        assertThat(alerts)
                .isNotEqualTo(SavepointScenario.PHASE_2_ALERTS)
                .isEqualTo(SavepointScenario.PHASE_2_ALERTS_WITHOUT_STATE);
    }

    /**
     * A retained checkpoint of the cache's first layout (every machine only in the union state
     * {@code machine-cache}, split over 2 subtasks; {@link UnionCacheFixture}) restores at the
     * parallelism it was taken with, and rescaled: each subtask keeps the machines of its key
     * groups.
     */
    @ParameterizedTest(name = "union-cache checkpoint restored at parallelism {0}")
    @ValueSource(ints = {1, 2, 3})
    void aCheckpointOfTheUnionCacheLayoutRestores(int parallelism) throws Exception {
        assertThat(
                        restoreAndRun(
                                UnionCacheFixture.RESOURCE,
                                "rocksdb",
                                outputs ->
                                        outputs.alerts()
                                                .getTransformation()
                                                .setParallelism(parallelism)))
                .containsExactlyInAnyOrderElementsOf(SavepointScenario.PHASE_2_ALERTS);
    }

    private static Consumer<StateMachineTopology.Outputs> unchanged() {
        return outputs -> {};
    }

    private static List<Alert> restoreAndRun(
            String stateBackend, Consumer<StateMachineTopology.Outputs> change) throws Exception {
        return restoreAndRun(
                SavepointScenario.SAVEPOINT_RESOURCE,
                stateBackend,
                Implementation.OPTIMIZED,
                change);
    }

    private static List<Alert> restoreAndRun(
            String resource, String stateBackend, Consumer<StateMachineTopology.Outputs> change)
            throws Exception {
        return restoreAndRun(resource, stateBackend, Implementation.OPTIMIZED, change);
    }

    private static List<Alert> restoreAndRun(
            String resource,
            String stateBackend,
            Implementation implementation,
            Consumer<StateMachineTopology.Outputs> change)
            throws Exception {
        URL savepoint = SavepointCompatibilityTest.class.getResource(resource);
        assertThat(savepoint).as("committed savepoint").isNotNull();
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        config.set(PipelineOptions.GENERIC_TYPES, false);
        config.set(
                StateRecoveryOptions.SAVEPOINT_PATH, Path.of(savepoint.toURI()).toUri().toString());
        // The fixture's source and collect sink are not part of this job; only the job's own
        // operators must find their state.
        config.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(1);

        StateMachineTopology.Outputs outputs =
                StateMachineTopology.build(
                        env.fromData(
                                        SavepointScenario.PHASE_2,
                                        TypeInformation.of(KafkaInputRecord.class))
                                .uid("phase-2-events")
                                .assignTimestampsAndWatermarks(StateMachineTopology.watermarks())
                                .uid("phase-2-watermarks"),
                        StateMachineOptions.parse(
                                "--bootstrap-servers",
                                "unused:9",
                                "--implementation",
                                implementation.name().toLowerCase(java.util.Locale.ROOT)));
        change.accept(outputs);
        List<Alert> alerts = new ArrayList<>();
        try (CloseableIterator<Alert> iterator = outputs.alerts().executeAndCollect()) {
            iterator.forEachRemaining(alerts::add);
        }
        return alerts;
    }
}
