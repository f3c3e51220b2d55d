package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One suite, both implementations (the Flink training's ComposedKeyedProcessFunction pattern): the
 * plain {@link StateMachineFunction} and the optimized {@link StateMachineOperator} (with a cache
 * of 3 addresses) must pass every test here, with exact control of event time (TTL 10 s): alerts,
 * what the backend stores and its timers (read after a savepoint, which flushes the optimized
 * operator's cache), expiry, and restores from checkpoints and savepoints, also rescaled.
 * StateMachineEquivalenceTest compares the two on long random runs; StateMachineOperatorTest has
 * what only the optimized operator does (its cache).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Implementation.class)
class StateMachineHarnessTest {
    private static final int ADDRESS = 0x0A000001;
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final int CACHE = 3;

    @Parameter Implementation implementation;

    private HarnessJob job;

    @BeforeEach
    void open() throws Exception {
        job = HarnessJob.start(implementation, TTL, CACHE, 1, null);
    }

    @AfterEach
    void close() throws Exception {
        job.close();
    }

    @Test
    void anInvalidFirstEventRaisesAnAlertAndStoresNothing() throws Exception {
        send(EventType.B, 5);

        assertThat(job.alerts()).containsExactly(new Alert(ADDRESS, State.INITIAL, EventType.B, 5));
        job.savepoint();
        assertThat(job.stateEntries()).isZero();
        assertThat(job.timers()).isZero();
        assertThat(job.liveMachines()).isZero();
    }

    @Test
    void oneTimerPerMachineNotOnePerEvent() throws Exception {
        send(EventType.A, 0);
        send(EventType.B, 1);
        send(EventType.C, 2); // invalid in Y: an alert, and still activity

        assertThat(job.alerts()).containsExactly(new Alert(ADDRESS, State.Y, EventType.C, 2));
        job.savepoint();
        assertThat(job.machines()).containsExactly(entry(State.Y, 2));
        assertThat(job.timers()).isEqualTo(1);
        assertThat(job.liveMachines()).isEqualTo(1);
    }

    @Test
    void anIdleMachineExpiresWhenTheWatermarkReachesItsTtl() throws Exception {
        send(EventType.A, 0);
        job.watermark(9_999);
        job.savepoint();
        assertThat(job.machines()).containsExactly(entry(State.W, 0));

        job.watermark(10_000);
        assertThat(job.stateEntries()).isZero();
        assertThat(job.timers()).isZero();
        assertThat(job.expiredMachines()).isEqualTo(1);
        assertThat(job.liveMachines()).isZero();

        send(EventType.B, 10_001); // W's "b", but the machine is gone: Initial again
        assertThat(job.alerts())
                .containsExactly(new Alert(ADDRESS, State.INITIAL, EventType.B, 10_001));
    }

    @Test
    void activityWithinTheTtlReArmsTheTimerInsteadOfExpiring() throws Exception {
        send(EventType.C, 0); // X, timer at 10 s
        job.savepoint();
        send(EventType.D, 8_000); // Z, active until 18 s
        job.watermark(12_000); // the 10 s timer fires and re-arms for 18 s

        job.savepoint();
        assertThat(job.machines()).containsExactly(entry(State.Z, 8_000));
        assertThat(job.timers()).isEqualTo(1);
        assertThat(job.expiredMachines()).isZero();

        job.watermark(17_999);
        assertThat(job.expiredMachines()).isZero();
        job.watermark(18_000);
        assertThat(job.expiredMachines()).isEqualTo(1);
        assertThat(job.stateEntries()).isZero();
        assertThat(job.timers()).isZero();
    }

    @Test
    void terminalEndsTheMachineAndDeletesItsTimer() throws Exception {
        send(EventType.C, 0);
        job.savepoint(); // stored, with its timer
        send(EventType.D, 1);
        send(EventType.G, 2);

        assertThat(job.alerts()).isEmpty();
        job.savepoint();
        assertThat(job.stateEntries()).isZero();
        assertThat(job.timers()).isZero();
        assertThat(job.liveMachines()).isZero();
        job.watermark(10_000); // the deleted timer's time: nothing expires
        assertThat(job.expiredMachines()).isZero();
    }

    @Test
    void aMachineThatStartsAndEndsLeavesNoStateAndNoTimer() throws Exception {
        send(EventType.C, 0); // X
        send(EventType.D, 1); // Z
        send(EventType.G, 2); // Terminal
        job.savepoint();

        assertThat(job.alerts()).isEmpty();
        assertThat(job.stateEntries()).isZero();
        assertThat(job.timers()).isZero();
    }

    @Test
    void anEndedAndRestartedAddressExpiresAtItsNewTtl() throws Exception {
        send(EventType.C, 0); // X, stored with its timer at 10 s
        job.savepoint();
        send(EventType.D, 1); // Z
        send(EventType.G, 2); // Terminal: ends
        send(EventType.A, 5_000); // a new machine for the same address, W, expires at 15 s
        job.savepoint();
        assertThat(job.machines()).containsExactly(entry(State.W, 5_000));
        assertThat(job.timers()).isEqualTo(1);

        job.watermark(14_999);
        assertThat(job.machines()).containsExactly(entry(State.W, 5_000));
        job.watermark(15_000);
        assertThat(job.stateEntries()).isZero();
        assertThat(job.timers()).isZero();
        assertThat(job.expiredMachines()).isEqualTo(1);
    }

    @Test
    void theEndOfInputExpiresNothing() throws Exception {
        send(EventType.A, 0);
        job.watermark(Long.MAX_VALUE);

        job.savepoint();
        assertThat(job.machines()).containsExactly(entry(State.W, 0));
        assertThat(job.expiredMachines()).isZero();
        assertThat(job.liveMachines()).isEqualTo(1);
        assertThat(job.subtask(0).getOutput()).contains(new Watermark(Long.MAX_VALUE));
        // The one difference: Flink fires every timer of a KeyedProcessFunction at the end of
        // input (the reference ignores them, but they are gone); the optimized operator keeps
        // them, since it does not walk millions of timers to do nothing.
        assertThat(job.timers()).isEqualTo(implementation == Implementation.OPTIMIZED ? 1 : 0);
    }

    @Test
    void aMachineContinuesAfterACheckpointRestore() throws Exception {
        send(EventType.A, 0); // W
        job = job.restart(1, job.checkpoint());

        send(EventType.B, 1); // W -> Y: the restored machine continues, no alert
        assertThat(job.alerts()).isEmpty();
        assertThat(job.liveMachines()).isEqualTo(1);
        job.savepoint();
        assertThat(job.machines()).containsExactly(entry(State.Y, 1));
        assertThat(job.timers()).isEqualTo(1);
    }

    @Test
    void aMachineContinuesAfterASavepointRestore() throws Exception {
        send(EventType.A, 0);
        job = job.restart(1, job.savepoint());

        send(EventType.B, 1);
        assertThat(job.alerts()).isEmpty();
        job.savepoint();
        assertThat(job.machines()).containsExactly(entry(State.Y, 1));
        assertThat(job.timers()).isEqualTo(1);
    }

    @Test
    void aRestoredMachineStillExpiresAtItsTtl() throws Exception {
        send(EventType.A, 0); // expires at 10 s
        job = job.restart(1, job.checkpoint());

        job.watermark(9_999);
        assertThat(job.expiredMachines()).isZero();
        job.watermark(10_000);
        assertThat(job.expiredMachines()).isEqualTo(1);
        assertThat(job.liveMachines()).isZero();
        assertThat(job.stateEntries()).isZero();
    }

    @Test
    void aRescaledRestoreGivesEachSubtaskTheMachinesOfItsKeyGroups() throws Exception {
        int[] addresses = new int[8];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = ADDRESS + i;
            job.send(new Event(addresses[i], EventType.A, 0));
        }
        OperatorSubtaskState[] checkpoint = job.checkpoint();

        for (int parallelism : new int[] {2, 3}) {
            HarnessJob rescaled =
                    HarnessJob.start(
                            implementation, TTL, addresses.length + 1, parallelism, checkpoint);
            for (int address : addresses) {
                rescaled.send(new Event(address, EventType.B, 1)); // valid only for a restored W
            }
            assertThat(rescaled.alerts()).isEmpty();
            rescaled.savepoint();
            assertThat(rescaled.machines())
                    .hasSize(addresses.length)
                    .allSatisfy(
                            (address, machine) ->
                                    assertThat(machine)
                                            .isEqualTo(new HarnessJob.Machine(State.Y, 1)));
            for (int subtask = 0; subtask < parallelism; subtask++) {
                int own = subtask;
                long mine =
                        java.util.Arrays.stream(addresses)
                                .filter(
                                        a ->
                                                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                                                a,
                                                                HarnessJob.MAX_PARALLELISM,
                                                                parallelism)
                                                        == own)
                                .count();
                assertThat(rescaled.subtask(subtask).numKeyedStateEntries()).isEqualTo(mine);
                assertThat(rescaled.subtask(subtask).numEventTimeTimers()).isEqualTo(mine);
            }
            assertThat(rescaled.liveMachines()).as("exact in sum").isEqualTo(addresses.length);
            rescaled.close();
        }
    }

    private static Map.Entry<Integer, HarnessJob.Machine> entry(State state, long lastActive) {
        return Map.entry(ADDRESS, new HarnessJob.Machine(state, lastActive));
    }

    private void send(EventType type, long timestamp) throws Exception {
        job.send(new Event(ADDRESS, type, timestamp));
    }
}
