package dev.flinkref.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flinkref.localcluster.CommittedOutput;
import dev.flinkref.localcluster.E2eData;
import dev.flinkref.localcluster.JobTopics;
import dev.flinkref.localcluster.LocalClusterCli;
import dev.flinkref.localcluster.SavepointFailedException;
import dev.flinkref.testkit.verify.ExactlyOnceVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TaskManager killed while a savepoint is in progress, plain ({@code POST /jobs/:id/savepoints})
 * and stop-with-savepoint ({@code POST /jobs/:id/stop}): the savepoint fails cleanly with a
 * one-line reason, the job restarts from its latest checkpoint and keeps running, a retry succeeds,
 * and the output stays exact.
 *
 * <p>The kill lands during the savepoint by construction, not by timing: the TaskManager is frozen
 * (SIGSTOP) before the trigger, so it cannot acknowledge; the test kills it once the REST API shows
 * the savepoint in progress, well within the heartbeat timeout.
 */
class SavepointFaultIT {
    private static final String SAVEPOINTS = "s3://flink/savepoints";
    private static final String JOB = "statemachine";
    private static final String RESTARTING = "FlinkJobRestarting";

    // A frozen TaskManager must not be declared lost before the savepoint is triggered (the CLI's
    // JVM takes seconds to start on a loaded machine). A killed one is noticed within about 2 s
    // regardless: heartbeat RPCs to it fail (heartbeat.rpc-failure-threshold).
    @RegisterExtension
    static final FaultStack stack =
            FaultStack.withConfiguration(Map.of("heartbeat.timeout", "20000"));

    @Test
    void aTaskManagerKilledDuringASavepoint() throws Exception {
        Run run =
                killDuringSavepoint(
                        "sp-kill",
                        11,
                        job -> {
                            String trigger = stack.rest().triggerSavepoint(job, SAVEPOINTS, false);
                            return () -> {
                                SavepointFailedException failure =
                                        catchThrowableOfType(
                                                () -> stack.rest().awaitSavepoint(job, trigger),
                                                SavepointFailedException.class);
                                assertThat(failure)
                                        .as("the savepoint must fail, not hang or succeed")
                                        .isNotNull();
                                // Flink's own text, for the stand-in kubectl of the k8s module's
                                // scripts/savepoint test.
                                Files.writeString(
                                        Path.of("target/savepoint-failure.txt"),
                                        failure.failureCause());
                                return failure.getMessage();
                            };
                        });
        assertThat(run.failure()).startsWith("job " + run.job() + ": ");
        String savepoint = stack.rest().savepoint(run.job(), SAVEPOINTS, false);
        assertOnlySavepointOfJob(run.job(), savepoint);
        awaitAlertResolved(run);
        stack.rest().cancel(run.job());
    }

    /** Through scripts/local-cluster, which must report the failure in one line and exit 1. */
    @Test
    void aTaskManagerKilledDuringAStopWithSavepoint() throws Exception {
        Path cliWorkDir = Files.createTempDirectory(stack.stack.workDir(), "cli-");
        // What `scripts/local-cluster start` leaves for later commands: where the stack's REST is.
        Files.writeString(
                cliWorkDir.resolve("stack.properties"), "flink.rest=" + stack.stack.restUrl());
        Run run =
                killDuringSavepoint(
                        "swsp-kill",
                        12,
                        job -> {
                            Process cli =
                                    new ProcessBuilder(
                                                    Path.of(
                                                                    System.getProperty("java.home"),
                                                                    "bin",
                                                                    "java")
                                                            .toString(),
                                                    "-cp",
                                                    System.getProperty("java.class.path"),
                                                    LocalClusterCli.class.getName(),
                                                    "--work-dir",
                                                    cliWorkDir.toString(),
                                                    "stop-with-savepoint",
                                                    job)
                                            .redirectOutput(cliWorkDir.resolve("out").toFile())
                                            .redirectError(cliWorkDir.resolve("err").toFile())
                                            .start();
                            return () -> {
                                assertThat(cli.waitFor(3, TimeUnit.MINUTES)).isTrue();
                                List<String> err = Files.readAllLines(cliWorkDir.resolve("err"));
                                assertThat(cli.exitValue()).as("exit code; stderr " + err).isOne();
                                assertThat(Files.readString(cliWorkDir.resolve("out"))).isEmpty();
                                assertThat(err).hasSize(1);
                                return err.get(0);
                            };
                        });
        assertThat(run.failure())
                .startsWith("local-cluster: stop-with-savepoint failed: job " + run.job() + ": ");
        String savepoint = stack.rest().stopWithSavepoint(run.job(), SAVEPOINTS, false);
        stack.rest().awaitState(run.job(), "FINISHED", Duration.ofMinutes(1));
        assertOnlySavepointOfJob(run.job(), savepoint);
        // Still exact once the retried stop has committed the job's last transaction.
        ExactlyOnceVerifier.assertExactlyOnce(
                run.input().expectedAlerts(),
                CommittedOutput.committed(stack.kafka, run.topics().output()));
        awaitAlertResolved(run);
    }

    private static void awaitAlertResolved(Run run) throws Exception {
        Instant resolvedAt =
                stack.alerts.awaitResolved(RESTARTING, JOB, run.job(), Duration.ofMinutes(2));
        System.out.printf(
                "FlinkJobRestarting for %s: fired %d ms, resolved %d ms after the kill%n",
                run.job(),
                Duration.between(run.killedAt(), run.alertFiredAt()).toMillis(),
                Duration.between(run.killedAt(), resolvedAt).toMillis());
    }

    /** Triggers a savepoint of a job; returns what waits for its failure and gives its message. */
    @FunctionalInterface
    private interface SavepointTrigger {
        Callable<String> trigger(String job) throws Exception;
    }

    private record Run(
            String job,
            JobTopics topics,
            E2eData.Events input,
            String failure,
            Instant killedAt,
            Instant alertFiredAt) {}

    /**
     * Runs the state machine past a checkpoint with input in flight, kills a TaskManager of it
     * during the savepoint that {@code savepoint} triggers, checks the failure and the recovery,
     * and returns the still-running job with all of its output committed exactly.
     */
    private static Run killDuringSavepoint(String name, long seed, SavepointTrigger savepoint)
            throws Exception {
        JobTopics topics = stack.topics(name);
        E2eData.Events all = E2eData.events(topics.input(), seed, 120_000, FaultStack.hourAgo());
        int half = all.records().size() / 2;
        stack.kafka.produce(topics.input(), all.records().subList(0, half));
        String job = stack.submit(JOB, topics);
        stack.awaitAllTasksRunning(job, Duration.ofMinutes(2));
        stack.awaitCheckpointsAfter(job, 0, Duration.ofMinutes(2));
        stack.kafka.produce(topics.input(), all.records().subList(half, all.records().size()));

        assertThat(stack.prometheus.isFiring(RESTARTING, JOB))
                .as("resolved since the previous test")
                .isFalse();
        String frozen = stack.stack.pauseTaskManagerOf(job);
        Callable<String> failure = savepoint.trigger(job);
        long savepointId = awaitSavepointInProgress(job);
        Instant killedAt = Instant.now();
        stack.stack.killTaskManager(frozen);
        stack.stack.startTaskManager(); // the replacement, as the TaskManager Deployment makes one

        String message = failure.call();
        Instant failedAt = Instant.now();
        assertThat(message).doesNotContain("\n");
        awaitSavepointFailed(job, savepointId);

        Instant running = stack.awaitAllTasksRunning(job, Duration.ofMinutes(3));
        assertThat(stack.rest().restoredCheckpoint(job))
                .as("restarted from its latest checkpoint")
                .isPresent();
        stack.assertExactWhileRunning(topics.output(), all.expectedAlerts());
        Instant firedAt =
                stack.alerts.awaitFiring(RESTARTING, JOB, job, killedAt, Duration.ofMinutes(3));
        System.out.printf(
                "%s: TaskManager killed during savepoint %d; failure reported after %d ms, job"
                        + " RUNNING again after %d ms, FlinkJobRestarting fired after %d ms, %d"
                        + " alerts exact; reported: %s%n",
                name,
                savepointId,
                Duration.between(killedAt, failedAt).toMillis(),
                Duration.between(killedAt, running).toMillis(),
                Duration.between(killedAt, firedAt).toMillis(),
                all.expectedAlerts().size(),
                message);
        return new Run(job, topics, all, message, killedAt, firedAt);
    }

    /** Waits until the REST API lists a savepoint of the job as IN_PROGRESS; returns its id. */
    private static long awaitSavepointInProgress(String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode checkpoint : stack.rest().checkpoints(job).path("history")) {
                if (checkpoint.path("is_savepoint").asBoolean()
                        && checkpoint.path("status").asText().equals("IN_PROGRESS")) {
                    return checkpoint.path("id").asLong();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no savepoint of " + job + " in progress within 15 s");
    }

    /**
     * The checkpoint statistics mark the savepoint FAILED when the coordinator aborts it, which may
     * come a moment after the trigger's own result (a stop-with-savepoint fails as its tasks fail).
     */
    private static void awaitSavepointFailed(String job, long id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status =
                    stack.rest()
                            .get("/jobs/" + job + "/checkpoints/details/" + id)
                            .path("status")
                            .asText();
            if (!status.equals("IN_PROGRESS")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status)
                .as("savepoint " + id + " in the checkpoint statistics")
                .isEqualTo("FAILED");
    }

    /**
     * The retry's savepoint is complete and the failed one left nothing behind: no directory
     * without {@code _metadata} that a restore could be pointed at by mistake.
     */
    private static void assertOnlySavepointOfJob(String job, String savepoint) throws Exception {
        assertThat(inBucket(savepoint).resolve("_metadata")).isRegularFile();
        // Flink names a savepoint directory savepoint-<first 6 characters of the job id>-<random>.
        String prefix = "savepoint-" + job.substring(0, 6) + "-";
        try (Stream<Path> dirs = Files.list(inBucket(SAVEPOINTS))) {
            assertThat(dirs.map(dir -> dir.getFileName().toString()))
                    .filteredOn(name -> name.startsWith(prefix))
                    .containsExactly(inBucket(savepoint).getFileName().toString());
        }
    }

    private static Path inBucket(String s3Path) {
        return stack.stack.bucketDir().resolve(s3Path.substring("s3://flink/".length()));
    }
}
