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
 * The reference implementation (--implementation reference): the state machine as a plain {@link
 * KeyedProcessFunction}, every event read from and written to keyed state. {@link
 * StateMachineOperator} must behave exactly like it (StateMachineEquivalenceTest); read this one
 * first.
 *
 * <p>State {@code machine} ({@link MachineState}) per address, none in {@code Initial} and none
 * after {@code Terminal}. An address idle for the TTL of event time is dropped ({@code
 * expiredMachines}); one timer per stored address, re-armed lazily when it fires rather than on
 * every event. The end of input (the final watermark) expires nothing.
 *
 * <p>Same uid, state, timer-service ({@code user-timers}) and operator-state ({@code
 * live-machines}) names as the optimized operator: savepoints restore into either. Checkpoints do
 * not: the optimized operator keeps its cache in raw keyed state, which this function's timer
 * service would try to read as heap timers.
 */
final class StateMachineFunction extends KeyedProcessFunction<Integer, Event, Alert>
        implements CheckpointedFunction {
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
                                        StateMachineOperator.STATE_NAME,
                                        TypeInformation.of(MachineState.class)));
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
        } else if (next.get() == State.TERMINAL) {
            if (current != null) {
                if (current.expiryTimer != 0) {
                    ctx.timerService().deleteEventTimeTimer(current.expiryTimer);
                }
                machine.clear();
                liveMachines--;
            }
        } else {
            if (current == null) {
                current = new MachineState(next.get(), eventTime);
                liveMachines++;
            } else {
                current.state = next.get();
            }
            touch(current, eventTime, ctx);
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

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        MachineState current = machine.value();
        if (current == null
                || current.expiryTimer != timestamp
                // The end of input fires every timer; the machines are not idle, the input ended.
                || ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
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

    long liveMachines() {
        return liveMachines;
    }

    long expiredMachines() {
        return expiredMachines.getCount();
    }
}
