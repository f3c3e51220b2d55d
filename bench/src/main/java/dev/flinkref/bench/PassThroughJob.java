package dev.flinkref.bench;

import dev.flinkref.common.env.JobEnvironment;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
        KafkaSource<byte[]> source =
                BaselineKafka.boundedSource(
                        args[0],
                        args[1],
                        args[3],
                        KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class));
        KafkaSink<byte[]> sink =
                BaselineKafka.exactlyOnceSink(args[0], args[2], args[3], new Bytes());
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
