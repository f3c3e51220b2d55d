package dev.flinkref.statemachine;

import dev.flinkref.common.deadletter.MalformedRecordException;
import dev.flinkref.common.deadletter.RecordDecoder;
import dev.flinkref.common.kafka.KafkaInputRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code {"address":"10.0.0.1","type":"a","ts":1700000000000}}: address an IPv4 dotted quad, type
 * {@code a}..{@code g}, ts optional epoch millis (else the Kafka record timestamp). Other fields
 * are ignored, so producers can add fields without breaking the job.
 */
final class JsonEventDecoder implements RecordDecoder<Event> {
    @Override
    public Event decode(KafkaInputRecord record) throws MalformedRecordException {
        if (record.value == null) {
            throw new MalformedRecordException("record has no value (tombstone)");
        }
        Map<String, Object> fields;
        try {
            String text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(ByteBuffer.wrap(record.value))
                            .toString();
            fields = FlatJson.parseObject(text);
        } catch (CharacterCodingException e) {
            throw new MalformedRecordException("value is not valid UTF-8");
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage());
        }
        int address;
        if (!(fields.get("address") instanceof String text)) {
            throw new MalformedRecordException("\"address\" must be a string");
        }
        try {
            address = Ipv4.parse(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("bad \"address\": " + e.getMessage());
        }
        if (!(fields.get("type") instanceof String letter)) {
            throw new MalformedRecordException("\"type\" must be a string");
        }
        EventType type = EventType.ofLetter(letter);
        if (type == null) {
            throw new MalformedRecordException("unknown event type \"" + letter + "\" (a..g)");
        }
        Object ts = fields.get("ts");
        long timestamp;
        if (ts == null) {
            timestamp = record.timestamp;
        } else if (ts instanceof Long millis && millis >= 0) {
            timestamp = millis;
        } else {
            throw new MalformedRecordException("\"ts\" must be epoch millis (a whole number >= 0)");
        }
        return new Event(address, type, timestamp);
    }
}
