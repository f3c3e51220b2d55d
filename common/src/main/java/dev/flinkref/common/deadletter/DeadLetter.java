package dev.flinkref.common.deadletter;

import dev.flinkref.common.kafka.KafkaInputRecord;

/**
 * A record that could not be decoded: its original bytes and coordinates plus the reason. A Flink
 * POJO.
 */
public class DeadLetter {
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public long timestamp;
    public byte[] key;
    public byte[] value;
    public String errorClass;
    public String errorMessage;

    public DeadLetter() {}

    public static DeadLetter of(KafkaInputRecord record, Throwable error) {
        DeadLetter letter = new DeadLetter();
        letter.sourceTopic = record.topic;
        letter.sourcePartition = record.partition;
        letter.sourceOffset = record.offset;
        letter.timestamp = record.timestamp;
        letter.key = record.key;
        letter.value = record.value;
        letter.errorClass = error.getClass().getName();
        letter.errorMessage = String.valueOf(error.getMessage());
        return letter;
    }

    @Override
    public String toString() {
        return sourceTopic
                + "-"
                + sourcePartition
                + "@"
                + sourceOffset
                + ": "
                + errorClass
                + ": "
                + errorMessage;
    }
}
