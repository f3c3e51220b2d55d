package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keyed operator on its own, with exact control of event time: what it stores (once its cache
 * is flushed, as before every checkpoint), which timers it keeps, and when a machine expires (TTL
 * 10 s).
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
    void aMachineRestoredFromASnapshotContinuesWithItsTimer() throws Exception {
        send(EventType.A, 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1); // flushes the cache
        harness.close();

        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new StateMachineOperator(Duration.ofSeconds(10), CACHE),
                        event -> event.address,
                        Types.INT);
        harness.initializeState(snapshot);
        harness.open();

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

    /** A checkpoint flushes the cache. */
    private void flush() throws Exception {
        checkpointId++;
        harness.snapshot(checkpointId, checkpointId);
    }

    private void send(EventType type, long timestamp) throws Exception {
        send(ADDRESS, type, timestamp);
    }

    private void send(int address, EventType type, long timestamp) throws Exception {
        harness.processElement(new Event(address, type, timestamp), timestamp);
    }
}
