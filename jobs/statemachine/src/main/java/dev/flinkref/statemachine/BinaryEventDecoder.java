package dev.flinkref.statemachine;

import dev.flinkref.common.deadletter.MalformedRecordException;
import dev.flinkref.common.deadletter.RecordDecoder;
import dev.flinkref.common.kafka.KafkaInputRecord;
import java.nio.ByteBuffer;

/**
 * 8 bytes: the IPv4 address as a big-endian int32, then the event type code (a=0 .. g=6) as a
 * big-endian int32. Event time is the Kafka record timestamp.
 */
final class BinaryEventDecoder implements RecordDecoder<Event> {
    static final int LENGTH = 8;

    @Override
    public Event decode(KafkaInputRecord record) throws MalformedRecordException {
        if (record.value == null) {
            throw new MalformedRecordException("record has no value (tombstone)");
        }
        if (record.value.length != LENGTH) {
            throw new MalformedRecordException(
                    "binary event must be " + LENGTH + " bytes, got " + record.value.length);
        }
        ByteBuffer bytes = ByteBuffer.wrap(record.value);
        int address = bytes.getInt();
        int code = bytes.getInt();
        EventType type = EventType.ofCode(code);
        if (type == null) {
            throw new MalformedRecordException("unknown event type code " + code + " (0..6)");
        }
        return new Event(address, type, record.timestamp);
    }

    static byte[] encode(Event event) {
        return ByteBuffer.allocate(LENGTH).putInt(event.address).putInt(event.type.code()).array();
    }
}
