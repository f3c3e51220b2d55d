package dev.flinkref.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.localcluster.E2eData;
import dev.flinkref.localcluster.JobTopics;
import dev.flinkref.localcluster.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A JobManager {@code kill -9} with high availability: the closest real equivalent of the prod
 * overlay's Kubernetes HA that runs here, ZooKeeper HA (the same HA services: leader election, job
 * graph store, checkpoint id counter, completed checkpoint store; only their backend differs). A
 * new JobManager, as Kubernetes would restart the pod, recovers the same job from its latest
 * checkpoint, and the output stays exact.
 */
class JobManagerFailoverIT {
    private static final String JOB = "statemachine";
    private static final String RESTARTING = "FlinkJobRestarting";

    // Alert rules time-scaled by 10, not 30: FlinkJobRestarting sees a failover as a reset of
    // runningTime between the old JobManager's last sample and the new one's first, and both
    // must lie within its window. The failover takes 20-30 s of real time here, which scaling
    // does not shorten: 15 minutes / 30 = 30 s would barely hold it, / 10 = 90 s does.
    @RegisterExtension
    static final FaultStack stack =
            FaultStack.of(work -> LocalStack.startWithHighAvailability(work, 2), 10);

    @Test
    void aKilledJobManagerIsReplacedAndTheSameJobRecoversExactly() throws Exception {
        JobTopics topics = stack.topics("sm-jm");
        E2eData.Events all = E2eData.events(topics.input(), 7, 150_000, FaultStack.hourAgo());
        int third = all.records().size() / 3;
        stack.kafka.produce(topics.input(), all.records().subList(0, third));
        String job = stack.submit(JOB, topics);
        stack.awaitAllTasksRunning(job, Duration.ofMinutes(2));
        stack.awaitCheckpointsAfter(job, 0, Duration.ofMinutes(2));
        // Input in flight after a completed checkpoint when the JobManager dies...
        stack.kafka.produce(topics.input(), all.records().subList(third, 2 * third));
        long checkpointBefore = stack.rest().checkpoints(job).at("/latest/completed/id").asLong();
        // What a new JobManager recovers from: the job's execution plan and its latest completed
        // checkpoint, kept on S3 with only pointers in ZooKeeper (Kubernetes HA: in ConfigMaps).
        assertThat(haStorage())
                .anyMatch(name -> name.startsWith("submittedExecutionPlan"))
                .anyMatch(name -> name.startsWith("completedCheckpoint"));
        int committedBefore = stack.committedCount(topics.output());

        assertThat(stack.prometheus.isFiring(RESTARTING, JOB)).isFalse();

        Instant killedAt = Instant.now();
        long killed = stack.stack.killJobManager();
        // ...and more arriving while there is none: only a recovered job can commit it.
        stack.kafka.produce(topics.input(), all.records().subList(2 * third, all.records().size()));
        stack.stack.startJobManager();
        Instant restUp = Instant.now();
        Instant running = stack.awaitAllTasksRunning(job, Duration.ofMinutes(3));
        Instant firstOutput =
                stack.awaitCommittedBeyond(topics.output(), committedBefore, Duration.ofMinutes(2));

        stack.assertExactWhileRunning(topics.output(), all.expectedAlerts());
        Instant firedAt =
                stack.alerts.awaitFiring(RESTARTING, JOB, job, killedAt, Duration.ofMinutes(3));
        Instant resolvedAt =
                stack.alerts.awaitResolved(RESTARTING, JOB, job, Duration.ofMinutes(2));
        assertThat(ProcessHandle.of(killed)).isEmpty();
        assertThat(stack.stack.pids().get("jobmanager")).isNotEqualTo(killed).isPositive();
        JsonNode overview = stack.rest().jobsOverview().path("jobs");
        assertThat(overview).hasSize(1);
        assertThat(overview.get(0).path("jid").asText()).as("the same job id").isEqualTo(job);
        assertThat(stack.rest().restoredCheckpoint(job))
                .as("restored from the latest checkpoint in the HA store, not from scratch")
                .hasValueSatisfying(id -> assertThat(id).isGreaterThanOrEqualTo(checkpointBefore));
        System.out.printf(
                "JobManager failover: kill -9 -> new JobManager's REST up %d ms, job RUNNING %d ms,"
                        + " first new committed output %d ms, FlinkJobRestarting fired %d ms and"
                        + " resolved %d ms; restored checkpoint %s (latest before the kill %d); %d"
                        + " alerts exact%n",
                Duration.between(killedAt, restUp).toMillis(),
                Duration.between(killedAt, running).toMillis(),
                Duration.between(killedAt, firstOutput).toMillis(),
                Duration.between(killedAt, firedAt).toMillis(),
                Duration.between(killedAt, resolvedAt).toMillis(),
                stack.rest().restoredCheckpoint(job).orElseThrow(),
                checkpointBefore,
                all.expectedAlerts().size());
        stack.rest().cancel(job);
    }

    private static List<String> haStorage() throws Exception {
        try (Stream<Path> files = Files.list(stack.stack.bucketDir().resolve("ha/local-stack"))) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
