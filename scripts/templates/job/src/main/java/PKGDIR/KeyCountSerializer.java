package dev.flinkref.__pkg__;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A count as a Kafka record: key = the key (UTF-8), value = {@link KeyCount#toJson()}. */
final class KeyCountSerializer implements KafkaRecordSerializationSchema<KeyCount> {
    private final String topic;

    KeyCountSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            KeyCount count, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                count.key.getBytes(StandardCharsets.UTF_8),
                count.toJson().getBytes(StandardCharsets.UTF_8));
    }
}
