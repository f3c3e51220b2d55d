package dev.flinkref.statemachine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs one state machine per address (the key) and emits an {@link Alert} for every event without a
 * transition from the current state.
 *
 * <p>State: {@code machine} ({@link MachineState}) per address; none for an address in {@code
 * Initial}, and none after {@code Terminal}. An address idle for the TTL (in event time: no event
 * with a newer timestamp while the watermark moved past last-active + TTL) is dropped and counted
 * in {@code expiredMachines}; its next event starts from {@code Initial}. One event-time timer per
 * live address, re-armed lazily rather than on every event.
 *
 * <p>Metrics: {@code alertsOut}, {@code expiredMachines}, and the gauge {@code liveMachines}: the
 * machines this subtask holds. It is kept in operator state so that it survives restarts; after a
 * rescale only its sum over all subtasks is exact.
 */
final class StateMachineFunction extends KeyedProcessFunction<Integer, Event, Alert>
        implements CheckpointedFunction {
    static final String STATE_NAME = "machine";

    private final long ttlMillis;
    private transient ValueState<MachineState> machine;
    private transient ListState<Long> liveCountState;
    private transient long liveMachines;
    private transient Counter alertsOut;
    private transient Counter expiredMachines;

    StateMachineFunction(Duration ttl) {
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        machine =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        STATE_NAME, TypeInformation.of(MachineState.class)));
        alertsOut = getRuntimeContext().getMetricGroup().counter("alertsOut");
        expiredMachines = getRuntimeContext().getMetricGroup().counter("expiredMachines");
        getRuntimeContext().getMetricGroup().gauge("liveMachines", () -> liveMachines);
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Alert> out) throws Exception {
        MachineState current = machine.value();
        State state = current == null ? State.INITIAL : current.state;
        Optional<State> next = state.next(event.type);
        long eventTime = ctx.timestamp() == null ? event.timestamp : ctx.timestamp();

        if (next.isEmpty()) {
            alertsOut.inc();
            out.collect(new Alert(event.address, state, event.type, event.timestamp));
            if (current != null) {
                touch(current, eventTime, ctx);
            }
            return;
        }
        if (next.get() == State.TERMINAL) {
            if (current != null) {
                end(current, ctx);
            }
            return;
        }
        if (current == null) {
            current = new MachineState(next.get(), eventTime);
            liveMachines++;
        } else {
            current.state = next.get();
        }
        touch(current, eventTime, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        MachineState current = machine.value();
        if (current == null || current.expiryTimer != timestamp) {
            return;
        }
        long expiry = current.lastActive + ttlMillis;
        if (expiry <= timestamp) {
            machine.clear();
            liveMachines--;
            expiredMachines.inc();
        } else {
            // Active since the timer was set: re-arm for the new expiry instead of on every event.
            current.expiryTimer = expiry;
            ctx.timerService().registerEventTimeTimer(expiry);
            machine.update(current);
        }
    }

    private void touch(MachineState current, long eventTime, Context ctx) throws Exception {
        current.lastActive = Math.max(current.lastActive, eventTime);
        if (current.expiryTimer == 0) {
            current.expiryTimer = current.lastActive + ttlMillis;
            ctx.timerService().registerEventTimeTimer(current.expiryTimer);
        }
        machine.update(current);
    }

    private void end(MachineState current, Context ctx) {
        if (current.expiryTimer != 0) {
            ctx.timerService().deleteEventTimeTimer(current.expiryTimer);
        }
        machine.clear();
        liveMachines--;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        liveCountState.update(List.of(liveMachines));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        liveCountState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("live-machines", Types.LONG));
        liveMachines = 0;
        for (Long count : liveCountState.get()) {
            liveMachines += count;
        }
    }
}
