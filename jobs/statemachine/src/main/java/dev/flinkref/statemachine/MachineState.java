package dev.flinkref.statemachine;

/**
 * What the job keeps per address: the machine's state and when it was last active. A Flink POJO:
 * its serializer can evolve (add fields) across savepoints; renaming or retyping a field cannot.
 */
public class MachineState {
    public State state;

    /** The newest event time seen for this address, epoch millis. */
    public long lastActive;

    /** The event time of the pending expiry timer, 0 when none. */
    public long expiryTimer;

    public MachineState() {}

    MachineState(State state, long lastActive) {
        this.state = state;
        this.lastActive = lastActive;
    }
}
