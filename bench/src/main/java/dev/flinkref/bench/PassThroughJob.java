package dev.flinkref.bench;

import dev.flinkref.common.env.JobEnvironment;
import dev.flinkref.common.kafka.KafkaConnectors;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Flink side of the Kafka ceiling: records copied from a topic to another, transactionally (the
 * jobs' source and sink settings), with no processing at all. Bounded: it stops at the end offsets
 * seen at start.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, transactional id prefix.
 */
public final class PassThroughJob {
    private PassThroughJob() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = JobEnvironment.create();
        Properties consumer = new Properties();
        consumer.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaSource<byte[]> source =
                KafkaSource.<byte[]>builder()
                        .setBootstrapServers(args[0])
                        .setTopics(args[1])
                        .setGroupId(args[3])
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(
                                KafkaRecordDeserializationSchema.valueOnly(
                                        ByteArrayDeserializer.class))
                        .setProperties(consumer)
                        .build();
        Properties producer = new Properties();
        producer.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(KafkaConnectors.TRANSACTION_TIMEOUT.toMillis()));
        KafkaSink<byte[]> sink =
                KafkaSink.<byte[]>builder()
                        .setBootstrapServers(args[0])
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.builder()
                                        .setTopic(args[2])
                                        .setValueSerializationSchema(new Bytes())
                                        .build())
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(args[3])
                        .setKafkaProducerConfig(producer)
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-source")
                .uid("kafka-source")
                .sinkTo(sink)
                .name("kafka-sink")
                .uid("kafka-sink");
        env.execute("pass-through");
    }

    /** The value as it came. */
    static final class Bytes implements SerializationSchema<byte[]> {
        @Override
        public byte[] serialize(byte[] element) {
            return element;
        }
    }
}
