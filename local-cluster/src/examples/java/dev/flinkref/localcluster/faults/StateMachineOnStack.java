package dev.flinkref.localcluster.faults;

import dev.flinkref.localcluster.CommittedOutput;
import dev.flinkref.localcluster.LocalStack;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * The state machine's shaded jar run unbounded on a {@link LocalStack}, with fresh topics per run:
 * what the fault tests inject their faults into, and how they watch it recover.
 */
final class StateMachineOnStack {
    record Topics(String input, String output, String dlq) {}

    private final LocalStack stack;
    private final KafkaTestClient kafka;

    StateMachineOnStack(LocalStack stack, KafkaTestClient kafka) {
        this.stack = stack;
        this.kafka = kafka;
    }

    Topics topics(String name) {
        String input = kafka.createUniqueTopic(name + "-in", 4);
        Topics topics =
                new Topics(input, input.replace("-in-", "-out-"), input.replace("-in-", "-dlq-"));
        kafka.createTopic(topics.output, 2);
        kafka.createTopic(topics.dlq, 1);
        return topics;
    }

    /** Submits the job (unbounded: a bounded one may not finish after a recovery, FLINK-31006). */
    String submit(Topics topics, Optional<String> fromSavepoint) throws Exception {
        List<String> args =
                List.of(
                        "--bootstrap-servers", stack.bootstrapServers(),
                        "--input-topic", topics.input,
                        "--output-topic", topics.output,
                        "--dlq-topic", topics.dlq,
                        "--group-id", topics.input,
                        "--transactional-id-prefix", topics.input);
        Path jar = repoRoot().resolve("jobs/statemachine/target/statemachine.jar");
        return stack.rest().submit(jar, null, 2, args, fromSavepoint);
    }

    /** Waits until the job has completed {@code count} checkpoints (since its last start). */
    void awaitCompletedCheckpoints(String job, long count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (stack.rest().completedCheckpoints(job) < count) {
            String state = stack.rest().jobState(job);
            if (!List.of("RUNNING", "INITIALIZING", "CREATED").contains(state)) {
                throw new AssertionError("job " + job + " is " + state + " before checkpoint");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint " + count + " of " + job + " in 2 minutes");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Waits until the job is RUNNING with every task RUNNING, tolerating a REST API that is not up
     * yet or does not know the job yet (a JobManager that is starting or recovering it).
     */
    Instant awaitAllTasksRunning(String job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode details = stack.rest().get("/jobs/" + job);
                last = details.path("state").asText();
                if (last.equals("RUNNING") && allVerticesRunning(details)) {
                    return Instant.now();
                }
                if (List.of("FAILED", "CANCELED", "FINISHED").contains(last)) {
                    throw new AssertionError("job " + job + " is " + last);
                }
            } catch (IOException e) {
                last = e.getMessage();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + job + " not running within " + timeout + ": " + last);
    }

    /** A vertex is RUNNING when all of its subtasks are. */
    private static boolean allVerticesRunning(JsonNode details) {
        for (JsonNode vertex : details.path("vertices")) {
            if (!vertex.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    /** Waits until more than {@code before} records of {@code topic} are committed. */
    Instant awaitCommittedBeyond(String topic, int before, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (CommittedOutput.committed(kafka, topic).size() > before) {
                return Instant.now();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nothing new committed to " + topic + " within " + timeout);
    }

    int committedCount(String topic) {
        return CommittedOutput.committed(kafka, topic).size();
    }

    void assertExactWhileRunning(String topic, List<String> expected) throws Exception {
        CommittedOutput.assertExactWhileRunning(kafka, topic, expected);
    }

    /** An hour ago: old enough for event time, recent enough for the broker's retention. */
    static long hourAgo() {
        return System.currentTimeMillis() - Duration.ofHours(1).toMillis();
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }
}
