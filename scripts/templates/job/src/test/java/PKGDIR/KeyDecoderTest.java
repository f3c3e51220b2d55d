package dev.flinkref.__pkg__;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkref.common.deadletter.MalformedRecordException;
import dev.flinkref.common.kafka.KafkaInputRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyDecoderTest {
    private final KeyDecoder decoder = new KeyDecoder();

    @Test
    void theKeyIsTheTrimmedUtf8Value() throws Exception {
        assertThat(decoder.decode(record(" café-42\n".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("café-42");
    }

    @Test
    void malformedBlankAndMissingValuesAreRejectedWithTheirReason() {
        assertThatThrownBy(() -> decoder.decode(record(new byte[] {'a', (byte) 0xff})))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("value is not valid UTF-8");
        assertThatThrownBy(() -> decoder.decode(record(" \t".getBytes(StandardCharsets.UTF_8))))
                .hasMessage("value is blank");
        assertThatThrownBy(() -> decoder.decode(record(null)))
                .hasMessage("record has no value (tombstone)");
    }

    @Test
    void countsAreWrittenAsJson() {
        assertThat(new KeyCount("a \"quoted\" key", 3).toJson())
                .isEqualTo("{\"key\":\"a \\\"quoted\\\" key\",\"count\":3}");
    }

    private static KafkaInputRecord record(byte[] value) {
        return KafkaInputRecord.of(0L, null, value);
    }
}
