package dev.flinkref.common.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Passes records through undecoded; it cannot fail, so bad data never fails the source. */
final class KafkaInputDeserializer implements KafkaRecordDeserializationSchema<KafkaInputRecord> {
    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<KafkaInputRecord> out) {
        out.collect(
                new KafkaInputRecord(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value()));
    }

    @Override
    public TypeInformation<KafkaInputRecord> getProducedType() {
        return TypeInformation.of(KafkaInputRecord.class);
    }
}
