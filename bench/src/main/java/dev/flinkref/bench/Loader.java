package dev.flinkref.bench;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a benchmark's input before the measured run starts, so no producer competes with the job
 * for CPU while it is measured. Large batches, acks=all, idempotent; no compression (the jobs'
 * topics are uncompressed too).
 */
final class Loader implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    Loader(String bootstrapServers) {
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.LINGER_MS_CONFIG,
                                20,
                                ProducerConfig.BATCH_SIZE_CONFIG,
                                512 * 1024,
                                ProducerConfig.BUFFER_MEMORY_CONFIG,
                                256L * 1024 * 1024,
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                4 * 1024 * 1024),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
    }

    /** {@code partition} null: by key, as the jobs' real producers would partition. */
    void send(String topic, Integer partition, long timestamp, byte[] key, byte[] value) {
        producer.send(
                new ProducerRecord<>(topic, partition, timestamp, key, value),
                (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    /** Waits until everything sent is acknowledged; fails if any record was not. */
    void flush() {
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("loading input failed", failure.get());
        }
    }

    @Override
    public void close() {
        flush();
        producer.close();
    }
}
