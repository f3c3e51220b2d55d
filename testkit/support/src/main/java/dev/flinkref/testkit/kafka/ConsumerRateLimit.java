package dev.flinkref.testkit.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * Broker quotas that limit the consumers of a Flink Kafka source to a byte rate each, so that a job
 * reads its input at a known pace on any machine: a test can act in the middle of the input (e.g.
 * take a savepoint) without racing the end of it. The broker throttles a client after a response
 * that took it over the limit, so the pace is smooth only with small fetches ({@link
 * #smallFetchProperties}: one producer batch per fetch) and the test brokers' 2-second quota window
 * (with Kafka's default of 11, a new client reads ten seconds' worth before it is throttled).
 * Closing removes the quotas.
 *
 * <p>The quotas name each reader's client id ({@code <client.id.prefix>-<subtask>}; the prefix is
 * the group id unless set), so no other client of the broker is throttled. Seen twice in a test
 * that limited 2 readers of 2 partitions each to 64 KB/s (since replaced): a first run that read
 * nothing for five minutes, cause not found. The rescale tests (128 KB/s) never showed it; bound
 * every wait that depends on a limited consumer.
 */
public final class ConsumerRateLimit implements AutoCloseable {
    private static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";

    private final Admin admin;
    private final List<ClientQuotaEntity> clients;

    private ConsumerRateLimit(Admin admin, List<ClientQuotaEntity> clients) {
        this.admin = admin;
        this.clients = clients;
    }

    /** Limits the readers of subtasks 0 to {@code maxParallelism - 1} of a Kafka source. */
    public static ConsumerRateLimit perReader(
            Admin admin, String clientIdPrefix, int maxParallelism, long bytesPerSecond)
            throws Exception {
        List<ClientQuotaEntity> clients =
                IntStream.range(0, maxParallelism)
                        .mapToObj(
                                subtask ->
                                        new ClientQuotaEntity(
                                                Map.of(
                                                        ClientQuotaEntity.CLIENT_ID,
                                                        clientIdPrefix + "-" + subtask)))
                        .toList();
        ConsumerRateLimit limit = new ConsumerRateLimit(admin, clients);
        limit.alter((double) bytesPerSecond);
        return limit;
    }

    /**
     * Client properties (for {@code --kafka-properties}) that keep each fetch at 8 KiB a partition.
     */
    public static Path smallFetchProperties(Path file) throws IOException {
        return Files.writeString(file, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG + "=8192\n");
    }

    @Override
    public void close() throws Exception {
        alter(null);
    }

    private void alter(Double value) throws Exception {
        admin.alterClientQuotas(
                        clients.stream()
                                .map(
                                        client ->
                                                new ClientQuotaAlteration(
                                                        client,
                                                        List.of(
                                                                new ClientQuotaAlteration.Op(
                                                                        CONSUMER_BYTE_RATE,
                                                                        value))))
                                .toList())
                .all()
                .get(30, TimeUnit.SECONDS);
    }
}
