package dev.flinkref.common.deadletter;

import dev.flinkref.common.kafka.KafkaInputRecord;
import java.io.Serializable;

/**
 * Turns a raw Kafka record into a typed value. Throwing means the record is undecodable and goes to
 * the dead-letter topic with the exception's class and message as the reason, so messages should
 * say what was wrong with the data.
 */
@FunctionalInterface
public interface RecordDecoder<T> extends Serializable {
    T decode(KafkaInputRecord record) throws Exception;
}
