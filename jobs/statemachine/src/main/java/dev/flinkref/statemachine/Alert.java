package dev.flinkref.statemachine;

import java.util.Objects;

/** An invalid transition: the event that had none from the address's current state. A POJO. */
public class Alert {
    public int address;
    public State state;
    public EventType event;

    /** The event's time, epoch millis. */
    public long timestamp;

    public Alert() {}

    public Alert(int address, State state, EventType event, long timestamp) {
        this.address = address;
        this.state = state;
        this.event = event;
        this.timestamp = timestamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Alert that
                && address == that.address
                && timestamp == that.timestamp
                && state == that.state
                && event == that.event;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, state, event, timestamp);
    }

    @Override
    public String toString() {
        return AlertJson.encode(this);
    }
}
