package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keyed operator on its own, with exact control of event time: what it stores (once its cache
 * is flushed, as in every savepoint), what a checkpoint keeps of its cache, which timers it keeps,
 * and when a machine expires (TTL 10 s).
 */
class StateMachineOperatorTest {
    private static final int ADDRESS = 0x0A000001;
    private static final int CACHE = 3;

    private KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness;
    private long checkpointId;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new StateMachineOperator(Duration.ofSeconds(10), CACHE),
                        event -> event.address,
                        Types.INT);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void anInvalidFirstEventRaisesAnAlertAndStoresNothing() throws Exception {
        send(EventType.B, 5);

        assertThat(harness.extractOutputValues())
                .containsExactly(new Alert(ADDRESS, State.INITIAL, EventType.B, 5));
        flush();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void oneTimerPerMachineNotOnePerEvent() throws Exception {
        send(EventType.A, 0);
        send(EventType.B, 1);
        send(EventType.C, 2); // invalid in Y: an alert, and still activity

        assertThat(harness.extractOutputValues())
                .containsExactly(new Alert(ADDRESS, State.Y, EventType.C, 2));
        flush();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void anIdleMachineExpiresWhenTheWatermarkReachesItsTtl() throws Exception {
        send(EventType.A, 0);
        harness.processWatermark(9_999);
        flush();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(10_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        send(EventType.B, 10_001); // W's "b", but the machine is gone: Initial again
        assertThat(harness.extractOutputValues())
                .containsExactly(new Alert(ADDRESS, State.INITIAL, EventType.B, 10_001));
    }

    @Test
    void activityWithinTheTtlReArmsTheTimerInsteadOfExpiring() throws Exception {
        send(EventType.C, 0); // X, timer at 10 s
        flush();
        send(EventType.D, 8_000); // Z, active until 18 s
        harness.processWatermark(12_000); // the 10 s timer fires and re-arms for 18 s

        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        send(EventType.G, 15_000); // Z -> Terminal: the machine ends, its timer goes too
        assertThat(harness.extractOutputValues()).isEmpty();
        flush();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aMachineRestoredFromASavepointContinuesWithItsTimer() throws Exception {
        send(EventType.A, 0);
        OperatorSubtaskState snapshot =
                harness.snapshotWithLocalState(1, 1, savepoint()).getJobManagerOwnedState();
        harness.close();

        restore(snapshot);

        send(EventType.B, 1); // W -> Y: the restored machine continues
        assertThat(harness.extractOutputValues()).isEmpty();
        flush();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void theCacheReachesTheBackendOnlyWhenFlushedOrFull() throws Exception {
        send(ADDRESS, EventType.A, 0);
        send(ADDRESS + 1, EventType.C, 0);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        send(ADDRESS + 2, EventType.A, 0); // the third address fills the cache: all written
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);
    }

    @Test
    void aMachineThatStartsAndEndsBetweenFlushesCostsNoStateAndNoTimer() throws Exception {
        send(EventType.C, 0); // X
        send(EventType.D, 1); // Z
        send(EventType.G, 2); // Terminal
        flush();

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aStoredMachineThatEndsAndRestartsInTheCacheKeepsOnlyTheNewTimer() throws Exception {
        send(EventType.C, 0); // X, stored with its timer at 10 s
        flush();
        send(EventType.D, 1); // Z
        send(EventType.G, 2); // Terminal: ends
        send(EventType.A, 5_000); // a new machine for the same address, W, expires at 15 s
        flush();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(14_999);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processWatermark(15_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aStoredMachineEndedInTheCacheIsNotExpiredByItsOldTimer() throws Exception {
        send(EventType.C, 0); // X, stored with its timer at 10 s
        flush();
        send(EventType.D, 1);
        send(EventType.G, 2); // ended, in the cache only
        harness.processWatermark(10_000); // flushes first: the timer is gone, nothing expires

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(expiredMachines()).isZero();
        assertThat(liveMachines()).isZero();
    }

    @Test
    void theEndOfInputStoresTheMachinesAndExpiresNone() throws Exception {
        send(EventType.A, 0);
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(expiredMachines()).isZero();
        assertThat(liveMachines()).isEqualTo(1);
        assertThat(harness.getOutput()).contains(new Watermark(Long.MAX_VALUE));
    }

    private long expiredMachines() {
        return ((StateMachineOperator) harness.getOperator()).expiredMachines();
    }

    private long liveMachines() {
        return ((StateMachineOperator) harness.getOperator()).liveMachines();
    }

    @Test
    void aCheckpointKeepsTheCacheAsItIsAndARestoreTakesItBack() throws Exception {
        send(EventType.A, 0); // W, in the cache only
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        harness.close();

        restore(checkpoint);
        send(EventType.B, 1); // W -> Y: the restored machine continues, no alert
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(liveMachines()).isEqualTo(1);
        flush();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void aMachineRestoredIntoTheCacheStillExpiresAtItsTtl() throws Exception {
        send(EventType.A, 0); // expires at 10 s
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        harness.close();

        restore(checkpoint);
        harness.processWatermark(9_999);
        assertThat(expiredMachines()).isZero();
        harness.processWatermark(10_000);
        assertThat(expiredMachines()).isEqualTo(1);
        assertThat(liveMachines()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aRescaledRestoreGivesEachSubtaskTheCachedMachinesOfItsKeyGroups() throws Exception {
        int maxParallelism = 128;
        int[] addresses = new int[8];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = ADDRESS + i;
        }
        harness.close();
        harness = harness(maxParallelism, 1, 0, addresses.length + 1);
        harness.open();
        for (int address : addresses) {
            send(address, EventType.A, 0);
        }
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        harness.close();

        long restored = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            harness = harness(maxParallelism, 2, subtask, addresses.length + 1);
            harness.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            checkpoint, maxParallelism, 1, 2, subtask));
            harness.open();
            long mine = 0;
            for (int address : addresses) {
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(address, maxParallelism, 2)
                        == subtask) {
                    mine++;
                    send(address, EventType.B, 1); // valid only for a restored W
                }
            }
            assertThat(harness.extractOutputValues()).isEmpty();
            flush();
            assertThat(harness.numKeyedStateEntries()).isEqualTo(mine);
            restored += mine;
            harness.close();
        }
        assertThat(restored).isEqualTo(addresses.length);
        harness = harness(maxParallelism, 1, 0, CACHE); // for close()
        harness.open();
    }

    private void restore(OperatorSubtaskState snapshot) throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new StateMachineOperator(Duration.ofSeconds(10), CACHE),
                        event -> event.address,
                        Types.INT);
        harness.initializeState(snapshot);
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness(
            int maxParallelism, int parallelism, int subtask, int cache) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new StateMachineOperator(Duration.ofSeconds(10), cache),
                event -> event.address,
                Types.INT,
                maxParallelism,
                parallelism,
                subtask);
    }

    private static SavepointType savepoint() {
        return SavepointType.savepoint(SavepointFormatType.CANONICAL);
    }

    /** A savepoint flushes the cache (a checkpoint keeps it as operator state). */
    private void flush() throws Exception {
        checkpointId++;
        harness.snapshotWithLocalState(checkpointId, checkpointId, savepoint());
    }

    private void send(EventType type, long timestamp) throws Exception {
        send(ADDRESS, type, timestamp);
    }

    private void send(int address, EventType type, long timestamp) throws Exception {
        harness.processElement(new Event(address, type, timestamp), timestamp);
    }
}
