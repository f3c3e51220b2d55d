package dev.flinkref.testkit.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * A broker quota that limits every consumer (per client id) to a byte rate, so that a job reads its
 * input at a known pace on any machine: a test can act in the middle of the input (e.g. take a
 * savepoint) without racing the end of it. The broker throttles a client after a response that took
 * it over the limit, so the pace is smooth only with small fetches ({@link #smallFetchProperties}:
 * one producer batch per fetch) and the test brokers' 2-second quota window (with Kafka's default
 * of 11, a new client reads ten seconds' worth before it is throttled). Closing removes the quota.
 */
public final class ConsumerRateLimit implements AutoCloseable {
    private static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";

    /** The default client id: applies to every client id without a quota of its own. */
    private static final ClientQuotaEntity EVERY_CLIENT =
            new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, null));

    private final Admin admin;

    private ConsumerRateLimit(Admin admin) {
        this.admin = admin;
    }

    public static ConsumerRateLimit perClient(Admin admin, long bytesPerSecond) throws Exception {
        alter(admin, (double) bytesPerSecond);
        return new ConsumerRateLimit(admin);
    }

    /**
     * Client properties (for {@code --kafka-properties}) that keep each fetch at 8 KiB a partition.
     */
    public static Path smallFetchProperties(Path file) throws IOException {
        return Files.writeString(file, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG + "=8192\n");
    }

    @Override
    public void close() throws Exception {
        alter(admin, null);
    }

    private static void alter(Admin admin, Double value) throws Exception {
        admin.alterClientQuotas(
                        List.of(
                                new ClientQuotaAlteration(
                                        EVERY_CLIENT,
                                        List.of(
                                                new ClientQuotaAlteration.Op(
                                                        CONSUMER_BYTE_RATE, value)))))
                .all()
                .get(30, TimeUnit.SECONDS);
    }
}
