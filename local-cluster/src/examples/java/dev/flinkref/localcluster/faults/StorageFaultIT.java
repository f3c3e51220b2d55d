package dev.flinkref.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.localcluster.E2eData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * S3 refusing connections (its process killed, then started again on the same port and data)
 * while the state machine runs, with the manifests' S3A retry bounds ({@code s3.*} of
 * k8s/components/flink-defaults) and the jobs' checkpoint tolerance (3) and timeout (1 min): a
 * short outage fails a checkpoint or two and is ridden out; a long one fails more than the
 * tolerance, and the job restarts until S3 is back. Both end with exact output.
 */
class StorageFaultIT {
    private static Map<String, String> s3Retries;
    private static FaultStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        s3Retries = FaultStack.manifestDefaults("s3.");
        // Without them S3A retries for many minutes and no checkpoint fails (docs/operations.md).
        assertThat(s3Retries).containsKeys("s3.attempts.maximum", "s3.retry.limit");
        stack = FaultStack.start(s3Retries);
    }

    @AfterEach
    void cancelLeftoverJobs() throws Exception {
        stack.cancelRunningJobs();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aShortOutageFailsCheckpointsWithoutARestart() throws Exception {
        Outage outage = runThroughS3Outage("s3-short", 31, Duration.ofSeconds(20));

        assertThat(outage.tolerated).as("the jobs' tolerable failed checkpoints").isEqualTo(3);
        assertThat(outage.failedDuringOutage).as("checkpoints failed by the outage").isBetween(1L, 3L);
        assertThat(outage.restarts).as("numRestarts").isZero();
    }

    @Test
    void aLongOutageRestartsTheJobUntilS3IsBack() throws Exception {
        Outage outage = runThroughS3Outage("s3-long", 32, Duration.ofSeconds(45));

        assertThat(outage.failedDuringOutage).as("checkpoints failed by the outage").isGreaterThan(3);
        assertThat(outage.restarts).as("numRestarts").isPositive();
    }

    private record Outage(int tolerated, long failedDuringOutage, long restarts) {}

    /**
     * Runs the state machine past a checkpoint, stops S3 for {@code length} while a third of the
     * input arrives, starts it again, sends the rest and checks the output exactly; prints the
     * job's timeline relative to the moment S3 went down.
     */
    private static Outage runThroughS3Outage(String name, long seed, Duration length)
            throws Exception {
        FaultStack.Topics topics = stack.topics(name);
        E2eData.Events events = E2eData.events(topics.input(), seed, 60_000, FaultStack.hourAgo());
        List<ProducerRecord<byte[], byte[]>> all = events.records();
        int third = all.size() / 3;
        stack.kafka.produce(topics.input(), all.subList(0, third));
        String job = stack.submit("statemachine", topics);
        stack.awaitCheckpointsAfter(job, 0, Duration.ofMinutes(2));
        JsonNode config = stack.rest().get("/jobs/" + job + "/checkpoints/config");

        try (JobTimeline timeline = JobTimeline.of(stack, job)) {
            long failedBefore = stack.failedCheckpoints(job);
            Instant down = Instant.now();
            stack.stack.stopS3();
            stack.kafka.produce(topics.input(), all.subList(third, 2 * third));
            Thread.sleep(
                    Math.max(0, length.minus(Duration.between(down, Instant.now())).toMillis()));
            Instant up = Instant.now();
            long failedDuringOutage = stack.failedCheckpoints(job) - failedBefore;
            stack.stack.startS3();
            Instant serving = Instant.now();
            long completedAtUp = stack.completedCheckpoints(job);
            stack.kafka.produce(topics.input(), all.subList(2 * third, all.size()));
            stack.awaitCheckpointsAfter(job, completedAtUp, Duration.ofMinutes(3));

            stack.assertExactWhileRunning(topics.output(), events.expectedAlerts());
            long restarts = stack.restarts(job);
            System.out.printf(
                    "%s: S3 refusing %.1f s (serving %.1f s after its start), %s, timeout %s ms,"
                            + " tolerated %s: %d checkpoints failed during the outage, first"
                            + " checkpoint completed %.1f s after S3 served again, restarts %d,"
                            + " %d alerts exact%n%s",
                    name,
                    Duration.between(down, up).toMillis() / 1000.0,
                    Duration.between(up, serving).toMillis() / 1000.0,
                    s3Retries,
                    config.path("timeout").asText(),
                    config.path("tolerable_failed_checkpoints").asText(),
                    failedDuringOutage,
                    timeline.secondsUntil(serving, s -> s.completed() > completedAtUp),
                    restarts,
                    events.expectedAlerts().size(),
                    timeline.changes(down));
            stack.rest().cancel(job);
            return new Outage(
                    config.path("tolerable_failed_checkpoints").asInt(),
                    failedDuringOutage,
                    restarts);
        }
    }
}
