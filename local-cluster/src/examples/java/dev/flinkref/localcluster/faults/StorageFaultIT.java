package dev.flinkref.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.localcluster.E2eData;
import dev.flinkref.localcluster.JobTopics;
import dev.flinkref.localcluster.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3 refusing connections (its process killed, then started again on the same port and data) while
 * the state machine runs, with the manifests' S3A retry bounds ({@code s3.*} of
 * k8s/components/flink-defaults) and the jobs' checkpoint tolerance (3) and timeout (1 min): a
 * short outage fails a checkpoint or two and is ridden out; a long one fails more than the
 * tolerance, and the job restarts until S3 is back. Both end with exact output, and a real
 * Prometheus evaluating the repository's rules fires FlinkCheckpointsFailing (and, for the long
 * one, FlinkJobRestarting) for the job, then resolves it.
 */
class StorageFaultIT {
    private static final String JOB = "statemachine";
    private static final String CHECKPOINTS_FAILING = "FlinkCheckpointsFailing";
    private static final String RESTARTING = "FlinkJobRestarting";

    @RegisterExtension
    static final FaultStack stack =
            FaultStack.of(StorageFaultIT::startWithManifestS3Retries, FaultStack.TIME_SCALE);

    private static Map<String, String> s3Retries;

    private static LocalStack startWithManifestS3Retries(Path workDir) throws Exception {
        s3Retries = FaultStack.manifestDefaults("s3.");
        // Without them S3A retries for many minutes and no checkpoint fails (docs/operations.md).
        assertThat(s3Retries).containsKeys("s3.attempts.maximum", "s3.retry.limit");
        return LocalStack.start(workDir, 2, s3Retries);
    }

    @Test
    void aShortOutageFailsCheckpointsWithoutARestart() throws Exception {
        Outage outage = runThroughS3Outage("s3-short", 31, Duration.ofSeconds(20), false);

        assertThat(outage.tolerated).as("the jobs' tolerable failed checkpoints").isEqualTo(3);
        assertThat(outage.failedDuringOutage)
                .as("checkpoints failed by the outage")
                .isBetween(1L, 3L);
        assertThat(outage.restarts).as("numRestarts").isZero();
        assertThat(outage.restartAlert).as("FlinkJobRestarting fired").isFalse();
    }

    @Test
    void aLongOutageRestartsTheJobUntilS3IsBack() throws Exception {
        Outage outage = runThroughS3Outage("s3-long", 32, Duration.ofSeconds(45), true);

        assertThat(outage.failedDuringOutage)
                .as("checkpoints failed by the outage")
                .isGreaterThan(3);
        assertThat(outage.restarts).as("numRestarts").isPositive();
        assertThat(outage.restartAlert).as("FlinkJobRestarting fired").isTrue();
    }

    private record Outage(
            int tolerated, long failedDuringOutage, long restarts, boolean restartAlert) {}

    /**
     * Runs the state machine past a checkpoint, stops S3 for {@code length} (and, with {@code
     * untilRestart}, on until the job has restarted: how many checkpoints fail in a given time
     * depends on the machine's speed, the restart after the tolerated ones does not) while a third
     * of the input arrives, starts it again, sends the rest and checks the output exactly; prints
     * the job's timeline relative to the moment S3 went down.
     */
    private static Outage runThroughS3Outage(
            String name, long seed, Duration length, boolean untilRestart) throws Exception {
        JobTopics topics = stack.topics(name);
        E2eData.Events events = E2eData.events(topics.input(), seed, 60_000, FaultStack.hourAgo());
        List<ProducerRecord<byte[], byte[]>> all = events.records();
        int third = all.size() / 3;
        stack.kafka.produce(topics.input(), all.subList(0, third));
        String job = stack.submit(JOB, topics);
        Instant submitted = Instant.now();
        stack.awaitCheckpointsAfter(job, 0, Duration.ofMinutes(2));
        JsonNode config = stack.rest().get("/jobs/" + job + "/checkpoints/config");
        // The rule ignores the trigger failures of a start (it counts failures after the first
        // completed checkpoint); should it fire anyway, wait until it resolves, so that what fires
        // below is the outage's. Whether it fired is printed.
        stack.alerts.awaitResolved(CHECKPOINTS_FAILING, JOB, job, Duration.ofMinutes(1));
        boolean firedAtStart =
                stack.alerts.wasActive(CHECKPOINTS_FAILING, JOB, job, submitted, Instant.now());

        try (JobTimeline timeline = JobTimeline.of(stack, job)) {
            long failedBefore = stack.failedCheckpoints(job);
            Instant down = Instant.now();
            stack.stack.stopS3();
            stack.kafka.produce(topics.input(), all.subList(third, 2 * third));
            Thread.sleep(
                    Math.max(0, length.minus(Duration.between(down, Instant.now())).toMillis()));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (untilRestart && stack.restarts(job) == 0) {
                assertThat(System.nanoTime()).as("a restart with S3 down").isLessThan(deadline);
                Thread.sleep(200);
            }
            Instant up = Instant.now();
            long failedDuringOutage = stack.failedCheckpoints(job) - failedBefore;
            stack.stack.startS3();
            Instant serving = Instant.now();
            long completedAtUp = stack.completedCheckpoints(job);
            stack.kafka.produce(topics.input(), all.subList(2 * third, all.size()));
            stack.awaitCheckpointsAfter(job, completedAtUp, Duration.ofMinutes(3));

            stack.assertExactWhileRunning(topics.output(), events.expectedAlerts());
            long restarts = stack.restarts(job);

            Instant fired =
                    stack.alerts.awaitFiring(
                            CHECKPOINTS_FAILING, JOB, job, down, Duration.ofMinutes(1));
            Instant resolved =
                    stack.alerts.awaitResolved(
                            CHECKPOINTS_FAILING, JOB, job, Duration.ofMinutes(2));
            boolean restartAlert = stack.alerts.firstFiring(RESTARTING, JOB, job, down).isPresent();
            if (restartAlert) {
                stack.alerts.awaitResolved(RESTARTING, JOB, job, Duration.ofMinutes(2));
            }
            System.out.printf(
                    "%s: S3 refusing %.1f s (serving %.1f s after its start), %s, timeout %s ms,"
                            + " tolerated %s: %d checkpoints failed during the outage, first"
                            + " checkpoint completed %.1f s after S3 served again, restarts %d,"
                            + " %d alerts exact; %s fired %.1f s after S3 went down, resolved"
                            + " %.1f s after S3 served again (rules %dx faster; fired at the"
                            + " job's start: %s)%n%s%s",
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
                    CHECKPOINTS_FAILING,
                    Duration.between(down, fired).toMillis() / 1000.0,
                    Duration.between(serving, resolved).toMillis() / 1000.0,
                    stack.timeScale,
                    firedAtStart,
                    timeline.changes(down),
                    stack.alerts.changes(down));
            stack.rest().cancel(job);
            return new Outage(
                    config.path("tolerable_failed_checkpoints").asInt(),
                    failedDuringOutage,
                    restarts,
                    restartAlert);
        }
    }
}
