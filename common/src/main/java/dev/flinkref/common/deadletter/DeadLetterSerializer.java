package dev.flinkref.common.deadletter;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a dead letter with its original key and value, so it can be replayed as it was, and the
 * reason and origin in headers.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    public static final String ERROR_CLASS = "dlq.error.class";
    public static final String ERROR_MESSAGE = "dlq.error.message";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ERROR_CLASS, utf8(letter.errorClass));
        headers.add(ERROR_MESSAGE, utf8(letter.errorMessage));
        headers.add(SOURCE_TOPIC, utf8(letter.sourceTopic));
        headers.add(SOURCE_PARTITION, utf8(String.valueOf(letter.sourcePartition)));
        headers.add(SOURCE_OFFSET, utf8(String.valueOf(letter.sourceOffset)));
        // Kafka rejects negative timestamps; a record without one gets the broker's time.
        Long originalTimestamp = letter.timestamp >= 0 ? letter.timestamp : null;
        return new ProducerRecord<>(
                topic, null, originalTimestamp, letter.key, letter.value, headers);
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
