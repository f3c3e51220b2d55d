package dev.flinkref.common.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.kafka.KafkaInputRecord;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class DeadLetterSerializerTest {
    @Test
    void keepsTheOriginalBytesAndPutsTheReasonInHeaders() {
        byte[] key = {1, 2, 3};
        byte[] value = {(byte) 0xff, (byte) 0xfe};
        KafkaInputRecord record =
                new KafkaInputRecord("lines", 3, 42L, 1_700_000_000_000L, key, value);
        DeadLetter letter = DeadLetter.of(record, new MalformedRecordException("not UTF-8"));

        ProducerRecord<byte[], byte[]> out =
                new DeadLetterSerializer("lines-dlq").serialize(letter, null, null);

        assertThat(out.topic()).isEqualTo("lines-dlq");
        assertThat(out.key()).isEqualTo(key);
        assertThat(out.value()).isEqualTo(value);
        assertThat(out.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(headers(out))
                .containsExactlyEntriesOf(
                        orderedMap(
                                "dlq.error.class", MalformedRecordException.class.getName(),
                                "dlq.error.message", "not UTF-8",
                                "dlq.source.topic", "lines",
                                "dlq.source.partition", "3",
                                "dlq.source.offset", "42"));
    }

    @Test
    void aRecordWithoutTimestampGetsTheBrokersTime() {
        KafkaInputRecord record = new KafkaInputRecord("t", 0, 0, -1, null, new byte[0]);
        ProducerRecord<byte[], byte[]> out =
                new DeadLetterSerializer("dlq")
                        .serialize(DeadLetter.of(record, new RuntimeException("x")), null, null);
        assertThat(out.timestamp()).isNull();
    }

    private static Map<String, String> headers(ProducerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
