package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Path;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints of the cache's first layout (union operator state {@code machine-cache}; operator
 * checkpoints of two subtasks committed by {@link UnionCacheFixture}) restore into the raw keyed
 * layout at any parallelism: each subtask keeps the machines of its key groups, drops the others,
 * and its next checkpoint has the new layout only. The whole-job checkpoint of that layout is
 * restored in {@link SavepointCompatibilityTest}.
 */
class CacheLayoutMigrationTest {
    private static final int MAX_PARALLELISM = 128;
    private static final long T1 = RestoreCost.T0 + 1;

    @ParameterizedTest(name = "union layout of 2 subtasks restored at parallelism {0}")
    @ValueSource(ints = {1, 2, 3})
    void eachSubtaskKeepsTheMachinesOfItsKeyGroups(int parallelism) throws Exception {
        OperatorSubtaskState union = unionFixture();
        long total = 0;
        long live = 0;
        for (int subtask = 0; subtask < parallelism; subtask++) {
            try (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness =
                    restore(union, 2, parallelism, subtask)) {
                int mine = continueMachines(harness, parallelism, subtask);
                assertThat(harness.extractOutputValues()).as("W -> Y for every machine").isEmpty();
                assertThat(operator(harness).cachedMachines()).isEqualTo(mine);
                live += operator(harness).liveMachines();
                total += mine;
            }
        }
        assertThat(total).isEqualTo(UnionCacheFixture.HARNESS_ADDRESSES.length);
        assertThat(live).as("liveMachines: exact in sum").isEqualTo(total);
    }

    @Test
    void theNextCheckpointHasOnlyTheNewLayoutAndRestoresRescaled() throws Exception {
        OperatorSubtaskState migrated;
        try (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness =
                restore(unionFixture(), 2, 1, 0)) {
            migrated = harness.snapshot(2, 2);
        }
        for (OperatorStateHandle handle : migrated.getManagedOperatorState()) {
            OperatorStateHandle.StateMetaInfo cache =
                    handle.getStateNameToPartitionOffsets()
                            .get(StateMachineOperator.CACHE_STATE_NAME);
            assertThat(cache == null ? 0 : cache.getOffsets().length)
                    .as("union list elements")
                    .isZero();
        }
        assertThat(migrated.getRawKeyedState()).hasSize(1);

        long total = 0;
        for (int subtask = 0; subtask < 3; subtask++) {
            try (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness =
                    restore(migrated, 1, 3, subtask)) {
                int mine = continueMachines(harness, 3, subtask);
                assertThat(harness.extractOutputValues()).isEmpty();
                assertThat(operator(harness).cachedMachines()).isEqualTo(mine);
                total += mine;
            }
        }
        assertThat(total).isEqualTo(UnionCacheFixture.HARNESS_ADDRESSES.length);
    }

    /** Sends W's "b" to each fixture address of this subtask: valid only if its W was restored. */
    private static int continueMachines(
            KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness,
            int parallelism,
            int subtask)
            throws Exception {
        int mine = 0;
        for (int address : UnionCacheFixture.HARNESS_ADDRESSES) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            address, MAX_PARALLELISM, parallelism)
                    == subtask) {
                harness.processElement(new Event(address, EventType.B, T1), T1);
                mine++;
            }
        }
        return mine;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> restore(
            OperatorSubtaskState state, int oldParallelism, int parallelism, int subtask)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness =
                RestoreCost.harness(MAX_PARALLELISM, parallelism, subtask, 100);
        harness.initializeState(
                AbstractStreamOperatorTestHarness.repartitionOperatorState(
                        state, MAX_PARALLELISM, oldParallelism, parallelism, subtask));
        harness.open();
        return harness;
    }

    private static OperatorSubtaskState unionFixture() throws Exception {
        return AbstractStreamOperatorTestHarness.repackageState(
                read("harness-subtask-0"), read("harness-subtask-1"));
    }

    private static OperatorSubtaskState read(String name) throws Exception {
        URL resource =
                CacheLayoutMigrationTest.class.getResource(UnionCacheFixture.RESOURCE + "/" + name);
        assertThat(resource).as(name).isNotNull();
        return OperatorSnapshotUtil.readStateHandle(Path.of(resource.toURI()).toString());
    }

    private static StateMachineOperator operator(
            KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness) {
        return (StateMachineOperator) harness.getOperator();
    }
}
