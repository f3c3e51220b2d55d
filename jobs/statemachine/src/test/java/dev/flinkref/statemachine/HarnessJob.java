package dev.flinkref.statemachine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * One implementation of the state machine at some parallelism, as operator test harnesses (one per
 * subtask, events routed by key group as Flink routes them), with checkpoints, savepoints, restores
 * and rescales, and what it holds read back: alerts, each address's machine, timers, metrics.
 */
final class HarnessJob implements AutoCloseable {
    static final int MAX_PARALLELISM = 128;

    /** What the backends hold for one address: state and last activity (not the timer's time). */
    record Machine(State state, long lastActive) {}

    private final Implementation implementation;
    private final Duration ttl;
    private final int cache;
    private final List<KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert>> subtasks =
            new ArrayList<>();
    private final List<Alert> alerts = new ArrayList<>();
    private long checkpointId;

    private HarnessJob(Implementation implementation, Duration ttl, int cache) {
        this.implementation = implementation;
        this.ttl = ttl;
        this.cache = cache;
    }

    /** A fresh job, or one restored from {@code state} (of any parallelism) when not null. */
    static HarnessJob start(
            Implementation implementation,
            Duration ttl,
            int cache,
            int parallelism,
            OperatorSubtaskState[] state)
            throws Exception {
        HarnessJob job = new HarnessJob(implementation, ttl, cache);
        OperatorSubtaskState packed =
                state == null ? null : AbstractStreamOperatorTestHarness.repackageState(state);
        for (int subtask = 0; subtask < parallelism; subtask++) {
            KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            implementation.operator(ttl, cache),
                            event -> event.address,
                            Types.INT,
                            MAX_PARALLELISM,
                            parallelism,
                            subtask);
            if (packed != null) {
                harness.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                packed, MAX_PARALLELISM, state.length, parallelism, subtask));
            }
            harness.open();
            job.subtasks.add(harness);
        }
        return job;
    }

    /** The same job, restored from its own checkpoint at {@code parallelism} (maybe another). */
    HarnessJob restart(int parallelism, OperatorSubtaskState[] state) throws Exception {
        return restart(implementation, parallelism, state);
    }

    /** The job restored with {@code other}'s code, as a job upgraded from a savepoint. */
    HarnessJob restart(Implementation other, int parallelism, OperatorSubtaskState[] state)
            throws Exception {
        close();
        HarnessJob restored = start(other, ttl, cache, parallelism, state);
        restored.alerts.addAll(alerts);
        restored.checkpointId = checkpointId;
        return restored;
    }

    void send(Event event) throws Exception {
        int subtask =
                KeyGroupRangeAssignment.assignKeyToParallelOperator(
                        event.address, MAX_PARALLELISM, subtasks.size());
        subtasks.get(subtask).processElement(event, event.timestamp);
    }

    /** Every subtask sees the watermark (as after a keyBy from all upstream channels). */
    void watermark(long timestamp) throws Exception {
        for (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness : subtasks) {
            harness.processWatermark(timestamp);
        }
    }

    OperatorSubtaskState[] checkpoint() throws Exception {
        checkpointId++;
        OperatorSubtaskState[] state = new OperatorSubtaskState[subtasks.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] = subtasks.get(i).snapshot(checkpointId, checkpointId);
        }
        return state;
    }

    OperatorSubtaskState[] savepoint() throws Exception {
        checkpointId++;
        OperatorSubtaskState[] state = new OperatorSubtaskState[subtasks.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] =
                    subtasks.get(i)
                            .snapshotWithLocalState(
                                    checkpointId,
                                    checkpointId,
                                    SavepointType.savepoint(SavepointFormatType.CANONICAL))
                            .getJobManagerOwnedState();
        }
        return state;
    }

    /** Every alert so far, per subtask in order of emission, subtasks one after the other. */
    List<Alert> alerts() {
        List<Alert> all = new ArrayList<>(alerts);
        for (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness : subtasks) {
            all.addAll(harness.extractOutputValues());
        }
        return all;
    }

    /**
     * The machines in the backends, by address. The optimized operator holds changed machines in
     * its cache: take a savepoint first (it flushes).
     */
    Map<Integer, Machine> machines() throws Exception {
        Map<Integer, Machine> machines = new TreeMap<>();
        ValueStateDescriptor<MachineState> descriptor =
                new ValueStateDescriptor<>(
                        StateMachineOperator.STATE_NAME, TypeInformation.of(MachineState.class));
        for (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness : subtasks) {
            KeyedStateBackend<Integer> backend =
                    ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
            List<Integer> keys;
            try (Stream<Integer> stream =
                    backend.getKeys(StateMachineOperator.STATE_NAME, VoidNamespace.INSTANCE)) {
                keys = stream.toList();
            }
            for (int key : keys) {
                backend.setCurrentKey(key);
                ValueState<MachineState> state =
                        backend.getPartitionedState(
                                VoidNamespace.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE,
                                descriptor);
                MachineState machine = state.value();
                if (machine != null) {
                    machines.put(key, new Machine(machine.state, machine.lastActive));
                }
            }
        }
        return machines;
    }

    int timers() {
        return subtasks.stream().mapToInt(h -> h.numEventTimeTimers()).sum();
    }

    int stateEntries() {
        return subtasks.stream().mapToInt(h -> h.numKeyedStateEntries()).sum();
    }

    long liveMachines() {
        long live = 0;
        for (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness : subtasks) {
            live += liveMachines(harness);
        }
        return live;
    }

    long expiredMachines() {
        long expired = 0;
        for (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness : subtasks) {
            expired += expiredMachines(harness);
        }
        return expired;
    }

    KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> subtask(int index) {
        return subtasks.get(index);
    }

    static long liveMachines(KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> h) {
        return h.getOperator() instanceof StateMachineOperator operator
                ? operator.liveMachines()
                : function(h).liveMachines();
    }

    static long expiredMachines(KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> h) {
        return h.getOperator() instanceof StateMachineOperator operator
                ? operator.expiredMachines()
                : function(h).expiredMachines();
    }

    @SuppressWarnings("unchecked")
    private static StateMachineFunction function(
            KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness) {
        return (StateMachineFunction)
                ((KeyedProcessOperator<Integer, Event, Alert>) harness.getOperator())
                        .getUserFunction();
    }

    @Override
    public void close() throws Exception {
        for (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness : subtasks) {
            alerts.addAll(harness.extractOutputValues());
            harness.close();
        }
        subtasks.clear();
    }
}
