package dev.flinkref.statemachine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * What restoring the state machine's checkpointed cache costs one subtask: every subtask of a job
 * at parallelism P holds the same number of changed cache entries at a checkpoint; the job then
 * restores at P (or rescales), and subtask 0 is measured: the bytes of cache state it reads and the
 * time its operator takes to initialize.
 *
 * <p>Bytes are those a restore reads for the cache, counted from the state handles the subtask is
 * given: for operator (union) state the list elements of {@code machine-cache} in every handle; for
 * raw keyed state the byte range of each key group of its own range (a key group's data ends where
 * the next one of the same handle starts).
 */
final class RestoreCost {
    static final long T0 = 1_700_000_000_000L;

    record Result(int parallelism, long bytesRead, long restoreNanos, long entriesRestored) {}

    private RestoreCost() {}

    /** Checkpoints of a job at {@code parallelism}, {@code entries} cached machines per subtask. */
    static OperatorSubtaskState[] checkpoint(int maxParallelism, int parallelism, int entries)
            throws Exception {
        int[][] addresses = addressesPerSubtask(maxParallelism, parallelism, entries);
        OperatorSubtaskState[] snapshots = new OperatorSubtaskState[parallelism];
        for (int subtask = 0; subtask < parallelism; subtask++) {
            try (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness =
                    harness(maxParallelism, parallelism, subtask, entries + 1)) {
                harness.open();
                for (int address : addresses[subtask]) {
                    harness.processElement(new Event(address, EventType.A, T0), T0);
                }
                snapshots[subtask] = harness.snapshot(1, 1);
            }
        }
        return snapshots;
    }

    /** Restores subtask 0 of {@code newParallelism} from {@code snapshots}. */
    static Result restore(
            OperatorSubtaskState[] snapshots, int maxParallelism, int newParallelism, int cache)
            throws Exception {
        OperatorSubtaskState restored =
                AbstractStreamOperatorTestHarness.repartitionOperatorState(
                        AbstractStreamOperatorTestHarness.repackageState(snapshots),
                        maxParallelism,
                        snapshots.length,
                        newParallelism,
                        0);
        KeyGroupRange mine =
                KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                        maxParallelism, newParallelism, 0);
        long bytes = cacheBytes(snapshots, restored, mine);
        try (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness =
                harness(maxParallelism, newParallelism, 0, cache)) {
            long start = System.nanoTime();
            harness.initializeState(restored);
            harness.open();
            long nanos = System.nanoTime() - start;
            return new Result(
                    newParallelism,
                    bytes,
                    nanos,
                    ((StateMachineOperator) harness.getOperator()).cachedMachines());
        }
    }

    private static long cacheBytes(
            OperatorSubtaskState[] original, OperatorSubtaskState restored, KeyGroupRange mine) {
        long bytes = 0;
        for (OperatorStateHandle handle : restored.getManagedOperatorState()) {
            bytes += elementBytes(handle, StateMachineOperator.CACHE_STATE_NAME);
        }
        // Raw keyed state: the length of each key group comes from the handle it was written to.
        for (OperatorSubtaskState snapshot : original) {
            for (KeyedStateHandle handle : snapshot.getRawKeyedState()) {
                KeyGroupsStateHandle groups = (KeyGroupsStateHandle) handle;
                KeyGroupRange range = groups.getKeyGroupRange();
                for (int group = range.getStartKeyGroup();
                        group <= range.getEndKeyGroup();
                        group++) {
                    if (!mine.contains(group)) {
                        continue;
                    }
                    long end =
                            group == range.getEndKeyGroup()
                                    ? groups.getStateSize()
                                    : groups.getOffsetForKeyGroup(group + 1);
                    bytes += end - groups.getOffsetForKeyGroup(group);
                }
            }
        }
        return bytes;
    }

    /** The bytes of the list elements of {@code stateName} in one operator-state handle. */
    private static long elementBytes(OperatorStateHandle handle, String stateName) {
        Map<String, OperatorStateHandle.StateMetaInfo> states =
                handle.getStateNameToPartitionOffsets();
        if (!states.containsKey(stateName)) {
            return 0;
        }
        List<Long> boundaries = new ArrayList<>();
        for (OperatorStateHandle.StateMetaInfo info : states.values()) {
            for (long offset : info.getOffsets()) {
                boundaries.add(offset);
            }
        }
        boundaries.add(handle.getStateSize());
        long[] sorted = boundaries.stream().mapToLong(Long::longValue).sorted().toArray();
        long bytes = 0;
        for (long offset : states.get(stateName).getOffsets()) {
            int at = Arrays.binarySearch(sorted, offset);
            while (sorted[at + 1] == offset) {
                at++;
            }
            bytes += sorted[at + 1] - offset;
        }
        return bytes;
    }

    /** {@code entries} addresses per subtask, each in that subtask's key groups. */
    static int[][] addressesPerSubtask(int maxParallelism, int parallelism, int entries) {
        int[][] addresses = new int[parallelism][entries];
        int[] filled = new int[parallelism];
        int complete = 0;
        for (int address = 0x0A000001; complete < parallelism; address++) {
            int subtask =
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            address, maxParallelism, parallelism);
            if (filled[subtask] < entries) {
                addresses[subtask][filled[subtask]++] = address;
                if (filled[subtask] == entries) {
                    complete++;
                }
            }
        }
        return addresses;
    }

    static KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness(
            int maxParallelism, int parallelism, int subtask, int cache) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new StateMachineOperator(Duration.ofHours(1), cache),
                event -> event.address,
                Types.INT,
                maxParallelism,
                parallelism,
                subtask);
    }
}
