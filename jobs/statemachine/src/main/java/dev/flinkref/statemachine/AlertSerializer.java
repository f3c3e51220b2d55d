package dev.flinkref.statemachine;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes an alert keyed by its address ({@link AlertJson}), at the event's time. */
final class AlertSerializer implements KafkaRecordSerializationSchema<Alert> {
    private final String topic;

    AlertSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Alert alert, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic, null, timestamp, AlertJson.key(alert), AlertJson.value(alert));
    }
}
