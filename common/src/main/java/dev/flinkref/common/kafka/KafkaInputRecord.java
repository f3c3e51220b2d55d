package dev.flinkref.common.kafka;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Kafka record as read, before decoding: the job decodes it in its own operator so that a record
 * that cannot be decoded can be dead-lettered with its exact bytes and coordinates instead of
 * failing the source.
 *
 * <p>A Flink POJO (public fields, no-arg constructor): serialized by Flink's PojoSerializer, never
 * Kryo.
 */
public class KafkaInputRecord {
    public String topic;
    public int partition;
    public long offset;

    /** Kafka record timestamp, epoch millis. */
    public long timestamp;

    public byte[] key;
    public byte[] value;

    public KafkaInputRecord() {}

    public KafkaInputRecord(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    /** A record that did not come from Kafka, for feeding a topology directly in tests. */
    public static KafkaInputRecord of(long timestamp, byte[] key, byte[] value) {
        return new KafkaInputRecord("test", 0, -1, timestamp, key, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaInputRecord that
                && partition == that.partition
                && offset == that.offset
                && timestamp == that.timestamp
                && Objects.equals(topic, that.topic)
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
