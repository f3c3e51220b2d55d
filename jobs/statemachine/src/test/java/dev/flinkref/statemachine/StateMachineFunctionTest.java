package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keyed function on its own, with exact control of event time: what it stores, which timers it
 * keeps, and when a machine expires (TTL 10 s).
 */
class StateMachineFunctionTest {
    private static final int ADDRESS = 0x0A000001;

    private KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new StateMachineFunction(Duration.ofSeconds(10))),
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
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void anIdleMachineExpiresWhenTheWatermarkReachesItsTtl() throws Exception {
        send(EventType.A, 0);
        harness.processWatermark(9_999);
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
        send(EventType.D, 8_000); // Z, active until 18 s
        harness.processWatermark(12_000); // the 10 s timer fires and re-arms for 18 s

        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        send(EventType.G, 15_000); // Z -> Terminal: the machine ends, its timer goes too
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aMachineRestoredFromASnapshotContinuesWithItsTimer() throws Exception {
        send(EventType.A, 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new StateMachineFunction(Duration.ofSeconds(10))),
                        event -> event.address,
                        Types.INT);
        harness.initializeState(snapshot);
        harness.open();

        send(EventType.B, 1); // W -> Y: the restored machine continues
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    private void send(EventType type, long timestamp) throws Exception {
        harness.processElement(new Event(ADDRESS, type, timestamp), timestamp);
    }
}
