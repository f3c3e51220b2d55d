package dev.flinkref.statemachine;

import java.util.Objects;

/** One event of a source address. A Flink POJO (the enum field uses Flink's EnumSerializer). */
public class Event {
    /** IPv4 address as a 32-bit int (big-endian order of its octets). */
    public int address;

    public EventType type;

    /** Event time, epoch millis. */
    public long timestamp;

    public Event() {}

    public Event(int address, EventType type, long timestamp) {
        this.address = address;
        this.type = type;
        this.timestamp = timestamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event that
                && address == that.address
                && timestamp == that.timestamp
                && type == that.type;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, type, timestamp);
    }

    @Override
    public String toString() {
        return Ipv4.format(address) + " " + type.letter() + " @" + timestamp;
    }
}
