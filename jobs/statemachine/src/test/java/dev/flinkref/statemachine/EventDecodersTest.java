package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkref.common.deadletter.MalformedRecordException;
import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.statemachine.generator.EventEncoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventDecodersTest {
    private static final long RECORD_TIME = 1_700_000_000_123L;
    private final JsonEventDecoder json = new JsonEventDecoder();
    private final BinaryEventDecoder binary = new BinaryEventDecoder();

    @Test
    void jsonWithTimestamp() throws Exception {
        assertThat(
                        json.decode(
                                record(
                                        "{\"address\":\"10.0.0.1\",\"type\":\"a\",\"ts\":1700000000000}")))
                .isEqualTo(new Event(0x0A000001, EventType.A, 1_700_000_000_000L));
    }

    @Test
    void jsonWithoutTimestampUsesTheRecordTime() throws Exception {
        assertThat(json.decode(record(" { \"type\" : \"g\", \"address\" : \"192.168.0.9\" } ")))
                .isEqualTo(new Event(0xC0A80009, EventType.G, RECORD_TIME));
    }

    @Test
    void jsonIgnoresUnknownFields() throws Exception {
        assertThat(
                        json.decode(
                                record(
                                        "{\"address\":\"1.2.3.4\",\"type\":\"b\",\"ts\":5,\"v\":2,\"x\":null}")))
                .isEqualTo(new Event(0x01020304, EventType.B, 5));
    }

    @Test
    void jsonProblemsAreNamed() {
        assertInvalidJson("not json", "invalid JSON at character 0: expected '{'");
        assertInvalidJson(
                "{\"address\":\"10.0.0.1\",\"type\":\"a\"",
                "invalid JSON at character 32: unexpected end of input");
        assertInvalidJson(
                "{\"address\":\"10.0.0.1\",\"type\":\"a\"} x",
                "invalid JSON at character 34: unexpected text after the object");
        assertInvalidJson("{\"type\":\"a\"}", "\"address\" must be a string");
        assertInvalidJson("{\"address\":167772161,\"type\":\"a\"}", "\"address\" must be a string");
        assertInvalidJson(
                "{\"address\":\"10.0.0.256\",\"type\":\"a\"}",
                "bad \"address\": not an IPv4 dotted quad: '10.0.0.256'");
        assertInvalidJson(
                "{\"address\":\"10.0.1\",\"type\":\"a\"}",
                "bad \"address\": not an IPv4 dotted quad: '10.0.1'");
        assertInvalidJson(
                "{\"address\":\"10.0.0.1\",\"type\":\"h\"}", "unknown event type \"h\" (a..g)");
        assertInvalidJson("{\"address\":\"10.0.0.1\"}", "\"type\" must be a string");
        assertInvalidJson(
                "{\"address\":\"10.0.0.1\",\"type\":\"a\",\"ts\":-1}",
                "\"ts\" must be epoch millis (a whole number >= 0)");
        assertInvalidJson(
                "{\"address\":\"10.0.0.1\",\"type\":\"a\",\"ts\":1.5}",
                "\"ts\" must be epoch millis (a whole number >= 0)");
        assertInvalidJson(
                "{\"address\":\"10.0.0.1\",\"type\":\"a\",\"ts\":\"now\"}",
                "\"ts\" must be epoch millis (a whole number >= 0)");
        assertInvalidJson(
                "{\"address\":\"10.0.0.1\",\"type\":{\"x\":1}}",
                "invalid JSON at character 29: nested values are not supported");
        assertInvalidJson(
                "{\"address\":\"10.0.0.1\",\"address\":\"10.0.0.2\",\"type\":\"a\"}",
                "invalid JSON at character 42: duplicate key \"address\"");
    }

    @Test
    void jsonStringEscapes() throws Exception {
        assertThat(json.decode(record("{\"address\":\"10.0.0.1\",\"type\":\"\\u0061\",\"ts\":1}")))
                .isEqualTo(new Event(0x0A000001, EventType.A, 1));
        assertThat(json.decode(record("{\"addr\\u0065ss\":\"10.0.0.1\",\"type\":\"b\",\"ts\":1}")))
                .isEqualTo(new Event(0x0A000001, EventType.B, 1));
        // Four ASCII hex digits, nothing else: no sign, no non-ASCII digits (U+FF16 is a
        // fullwidth 6), no short escapes.
        for (String escape : List.of("\\u+061", "\\u-061", "\\u00\uFF161", "\\u006\\\"", "\\q")) {
            assertThatThrownBy(() -> json.decode(record("{\"type\":\"" + escape + "\"}")))
                    .as(escape)
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageStartingWith("invalid JSON at character ")
                    .hasMessageContaining(": bad ");
        }
        assertInvalidJson(
                "{\"type\":\"\\u00", "invalid JSON at character 11: truncated \\u escape");
    }

    @Test
    void jsonRejectsInvalidUtf8AndTombstones() {
        assertThatThrownBy(() -> json.decode(recordBytes(new byte[] {'{', (byte) 0xff, '}'})))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("value is not valid UTF-8");
        assertThatThrownBy(() -> json.decode(recordBytes(null)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("record has no value (tombstone)");
    }

    @Test
    void binaryIsAddressThenTypeCodeBigEndian() throws Exception {
        byte[] bytes = {10, 0, 0, 1, 0, 0, 0, 2};
        assertThat(binary.decode(recordBytes(bytes)))
                .isEqualTo(new Event(0x0A000001, EventType.C, RECORD_TIME));
    }

    @Test
    void binaryProblemsAreNamed() {
        assertThatThrownBy(() -> binary.decode(recordBytes(new byte[7])))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("binary event must be 8 bytes, got 7");
        assertThatThrownBy(() -> binary.decode(recordBytes(new byte[9])))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("binary event must be 8 bytes, got 9");
        byte[] unknownType = ByteBuffer.allocate(8).putInt(1).putInt(7).array();
        assertThatThrownBy(() -> binary.decode(recordBytes(unknownType)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("unknown event type code 7 (0..6)");
        byte[] negative = ByteBuffer.allocate(8).putInt(1).putInt(-1).array();
        assertThatThrownBy(() -> binary.decode(recordBytes(negative)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("unknown event type code -1 (0..6)");
    }

    @Test
    void generatorEncodingsDecodeBackToTheSameEvent() throws Exception {
        Event event = new Event(0xC0A80102, EventType.E, RECORD_TIME);
        assertThat(json.decode(recordBytes(EventEncoding.encode(event, InputFormat.JSON))))
                .isEqualTo(event);
        assertThat(binary.decode(recordBytes(EventEncoding.encode(event, InputFormat.BINARY))))
                .isEqualTo(event);
        assertThat(EventEncoding.json(event))
                .isEqualTo("{\"address\":\"192.168.1.2\",\"type\":\"e\",\"ts\":1700000000123}");
    }

    private void assertInvalidJson(String value, String message) {
        assertThatThrownBy(() -> json.decode(record(value)))
                .as(value)
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage(message);
    }

    private static KafkaInputRecord record(String value) {
        return recordBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaInputRecord recordBytes(byte[] value) {
        return KafkaInputRecord.of(RECORD_TIME, null, value);
    }
}
