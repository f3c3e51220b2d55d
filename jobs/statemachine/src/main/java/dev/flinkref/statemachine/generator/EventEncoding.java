package dev.flinkref.statemachine.generator;

import dev.flinkref.statemachine.Event;
import dev.flinkref.statemachine.InputFormat;
import dev.flinkref.statemachine.Ipv4;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Events on the wire, in the two input formats the job reads (see the job's README). */
public final class EventEncoding {
    private EventEncoding() {}

    public static byte[] encode(Event event, InputFormat format) {
        return switch (format) {
            case JSON -> json(event).getBytes(StandardCharsets.UTF_8);
            case BINARY ->
                    ByteBuffer.allocate(8).putInt(event.address).putInt(event.type.code()).array();
        };
    }

    public static String json(Event event) {
        return "{\"address\":\""
                + Ipv4.format(event.address)
                + "\",\"type\":\""
                + event.type.letter()
                + "\",\"ts\":"
                + event.timestamp
                + "}";
    }

    /** The record key: the address, so all events of one machine share a partition and order. */
    public static byte[] key(Event event) {
        return Ipv4.format(event.address).getBytes(StandardCharsets.UTF_8);
    }
}
