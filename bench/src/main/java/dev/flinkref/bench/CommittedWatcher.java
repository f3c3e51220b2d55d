package dev.flinkref.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an output topic from its start with {@code isolation.level=read_committed} on its own
 * thread, and notes when each record became visible: the moment a downstream consumer could act on
 * it.
 */
final class CommittedWatcher implements AutoCloseable {
    /** A committed output record and the wall-clock millis at which it was first read. */
    record Seen(byte[] key, byte[] value, long timestamp, long visibleAtMillis) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Seen> seen = new ArrayList<>();
    private final java.util.function.Predicate<Seen> counts;
    private long counted;
    private long lastCountedVisibleAt;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    CommittedWatcher(String bootstrapServers, String topic, int partitions) {
        this(bootstrapServers, topic, partitions, record -> true);
    }

    /** {@code counts}: which records {@link #counted()} counts (the expected output). */
    CommittedWatcher(
            String bootstrapServers,
            String topic,
            int partitions,
            java.util.function.Predicate<Seen> counts) {
        this.counts = counts;
        consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                5000),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        thread = new Thread(this::run, "watch-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(50));
                long now = System.currentTimeMillis();
                synchronized (seen) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        Seen record = new Seen(r.key(), r.value(), r.timestamp(), now);
                        seen.add(record);
                        if (counts.test(record)) {
                            counted++;
                            lastCountedVisibleAt = now;
                        }
                    }
                    seen.notifyAll();
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    long counted() {
        synchronized (seen) {
            return counted;
        }
    }

    /** When the last counted record became visible (wall-clock millis). */
    long lastCountedVisibleAt() {
        synchronized (seen) {
            return lastCountedVisibleAt;
        }
    }

    int count() {
        synchronized (seen) {
            return seen.size();
        }
    }

    List<Seen> seen() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
