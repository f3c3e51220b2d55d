package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What only the optimized operator does: its write-back cache (TTL 10 s, 3 addresses) reaches the
 * keyed state only when flushed (savepoint, full, a timer due, end of input), and a checkpoint
 * keeps it out of the keyed state, as raw keyed state. Everything both implementations do is in
 * {@link StateMachineHarnessTest}.
 */
class StateMachineOperatorTest {
    private static final int ADDRESS = 0x0A000001;
    private static final int CACHE = 3;

    private KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            try {
                harness.close();
            } catch (Exception notOpened) {
                // the heap-timers test fails at open: nothing to close
            }
        }
    }

    @Test
    void theCacheReachesTheBackendOnlyWhenFlushedOrFull() throws Exception {
        harness = open(null);
        send(ADDRESS, EventType.A, 0);
        send(ADDRESS + 1, EventType.C, 0);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        send(ADDRESS + 2, EventType.A, 0); // the third address fills the cache: all written
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);
    }

    @Test
    void aWatermarkThatWouldFireACachedMachinesTimerFlushesFirst() throws Exception {
        harness = open(null);
        send(ADDRESS, EventType.C, 0); // X, stored with its timer at 10 s
        savepoint();
        send(ADDRESS, EventType.D, 1);
        send(ADDRESS, EventType.G, 2); // ended, in the cache only
        harness.processWatermark(10_000); // flushes first: the timer is gone, nothing expires

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(operator().expiredMachines()).isZero();
        assertThat(operator().liveMachines()).isZero();
    }

    @Test
    void aCheckpointKeepsTheCacheAsRawKeyedStateWithRocksDb() throws Exception {
        harness = open(new EmbeddedRocksDBStateBackend());
        send(ADDRESS, EventType.A, 0); // W, in the cache only
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        assertThat(storedMachines()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(checkpoint.getRawKeyedState()).hasSize(1);
        harness.close();

        harness = open(new EmbeddedRocksDBStateBackend(), checkpoint);
        assertThat(operator().cachedMachines()).isEqualTo(1);
        send(ADDRESS, EventType.B, 1); // W -> Y: the restored machine continues, no alert
        assertThat(harness.extractOutputValues()).isEmpty();
        savepoint();
        assertThat(storedMachines()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    /** Counted by key: the harness counts entries of heap backends only. */
    private long storedMachines() throws Exception {
        try (java.util.stream.Stream<Object> keys =
                operator()
                        .getKeyedStateBackend()
                        .getKeys(
                                StateMachineOperator.STATE_NAME,
                                org.apache.flink.runtime.state.VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    @Test
    void aFlushedCacheWritesNoRawKeyedState() throws Exception {
        harness = open(null);
        send(ADDRESS, EventType.A, 0);
        OperatorSubtaskState savepoint = savepoint();
        assertThat(savepoint.getRawKeyedState()).isEmpty();
        assertThat(harness.snapshot(2, 2).getRawKeyedState()).as("nothing changed since").isEmpty();
    }

    /**
     * Why implementations switch through savepoints only: the reference's KeyedProcessOperator
     * reads raw keyed state as heap timers, and a checkpoint with cached machines has some.
     */
    @Test
    void aCheckpointWithCachedMachinesDoesNotRestoreIntoTheReference() throws Exception {
        harness = open(null);
        send(ADDRESS, EventType.A, 0);
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        harness.close();

        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        Implementation.REFERENCE.operator(Duration.ofSeconds(10), CACHE),
                        event -> event.address,
                        Types.INT);
        assertThatThrownBy(() -> harness.initializeState(checkpoint))
                .hasRootCauseInstanceOf(java.io.EOFException.class)
                .hasStackTraceContaining("InternalTimeServiceManagerImpl.restoreStateForKeyGroup");
    }

    /** Flink would write those timers into the raw keyed state the cache uses. */
    @Test
    void heapTimersInRocksDbAreRefusedAtTheStart() throws Exception {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        harness = harness();
        harness.setStateBackend(backend);
        assertThatThrownBy(harness::open)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("state.backend.rocksdb.timer-service.factory");
    }

    private KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> open(
            EmbeddedRocksDBStateBackend backend) throws Exception {
        return open(backend, null);
    }

    private KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> open(
            EmbeddedRocksDBStateBackend backend, OperatorSubtaskState state) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> opened = harness();
        if (backend != null) {
            opened.setStateBackend(backend);
        }
        if (state != null) {
            opened.initializeState(state);
        }
        opened.open();
        return opened;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new StateMachineOperator(Duration.ofSeconds(10), CACHE),
                event -> event.address,
                Types.INT);
    }

    private StateMachineOperator operator() {
        return (StateMachineOperator) harness.getOperator();
    }

    /** A savepoint flushes the cache (a checkpoint keeps it as raw keyed state). */
    private OperatorSubtaskState savepoint() throws Exception {
        return harness.snapshotWithLocalState(
                        9, 9, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                .getJobManagerOwnedState();
    }

    private void send(int address, EventType type, long timestamp) throws Exception {
        harness.processElement(new Event(address, type, timestamp), timestamp);
    }
}
