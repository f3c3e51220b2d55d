package dev.flinkref.statemachine;

import dev.flinkref.common.deadletter.RecordDecoder;

/** How events are encoded in Kafka: see the job's README for both formats, byte for byte. */
public enum InputFormat {
    JSON,
    BINARY;

    RecordDecoder<Event> decoder() {
        return this == JSON ? new JsonEventDecoder() : new BinaryEventDecoder();
    }
}
