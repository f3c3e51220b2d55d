package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkref.common.deadletter.MalformedRecordException;
import dev.flinkref.common.kafka.KafkaInputRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8LineDecoderTest {
    private final Utf8LineDecoder decoder = new Utf8LineDecoder();

    @Test
    void decodesValidUtf8() throws Exception {
        assertThat(decoder.decode(record("Grüße aus 東京".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("Grüße aus 東京");
    }

    @Test
    void rejectsMalformedBytesSayingWhere() {
        byte[] latin1 = "ok caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> decoder.decode(record(latin1)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("value is not valid UTF-8: malformed byte sequence at offset 6");
    }

    @Test
    void rejectsTruncatedSequencesAndSurrogates() {
        assertThatThrownBy(() -> decoder.decode(record(new byte[] {'a', (byte) 0xe6, (byte) 0x9d})))
                .isInstanceOf(MalformedRecordException.class);
        // CESU-style encoded surrogate: not valid UTF-8.
        assertThatThrownBy(
                        () ->
                                decoder.decode(
                                        record(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})))
                .isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void rejectsTombstones() {
        assertThatThrownBy(() -> decoder.decode(record(null)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("record has no value (tombstone)");
    }

    private static KafkaInputRecord record(byte[] value) {
        return KafkaInputRecord.of(0L, null, value);
    }
}
