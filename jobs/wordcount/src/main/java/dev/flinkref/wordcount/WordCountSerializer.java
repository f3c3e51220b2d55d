package dev.flinkref.wordcount;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a count keyed by its word ({@link WordCountJson}), timestamped with its window's end. */
final class WordCountSerializer implements KafkaRecordSerializationSchema<WordCount> {
    private final String topic;

    WordCountSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            WordCount count, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic, null, timestamp, WordCountJson.key(count), WordCountJson.value(count));
    }
}
