package dev.flinkref.bench;

import dev.flinkref.common.kafka.KafkaConnectors;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Source and sink of the baseline jobs, with the real jobs' Kafka settings (read_committed, bounded
 * at the end offsets seen at start, exactly-once with the same producer settings), so a comparison
 * measures only what the jobs do between them.
 */
final class BaselineKafka {
    private BaselineKafka() {}

    static <T> KafkaSource<T> boundedSource(
            String bootstrapServers,
            String topic,
            String groupId,
            KafkaRecordDeserializationSchema<T> deserializer) {
        Properties consumer = new Properties();
        consumer.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return KafkaSource.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(deserializer)
                .setProperties(consumer)
                .build();
    }

    static <T> KafkaSink<T> exactlyOnceSink(
            String bootstrapServers,
            String topic,
            String transactionalIdPrefix,
            SerializationSchema<T> values) {
        Properties producer = KafkaConnectors.producerDefaults(new Properties());
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.builder()
                                .setTopic(topic)
                                .setValueSerializationSchema(values)
                                .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setKafkaProducerConfig(producer)
                .build();
    }
}
