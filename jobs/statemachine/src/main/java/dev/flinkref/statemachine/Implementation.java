package dev.flinkref.statemachine;

import java.time.Duration;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;

/** Which code runs the state machines; both give the same alerts, state and metrics. */
public enum Implementation {
    /** {@link StateMachineOperator}: a write-back cache in front of the state backend. */
    OPTIMIZED,
    /** {@link StateMachineFunction}: a plain KeyedProcessFunction, one state access per event. */
    REFERENCE;

    OneInputStreamOperator<Event, Alert> operator(Duration ttl, int machineCache) {
        return this == OPTIMIZED
                ? new StateMachineOperator(ttl, machineCache)
                : new KeyedProcessOperator<>(new StateMachineFunction(ttl));
    }
}
