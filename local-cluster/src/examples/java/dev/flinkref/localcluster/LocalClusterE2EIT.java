package dev.flinkref.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.testkit.kafka.KafkaTestClient;
import dev.flinkref.testkit.verify.ExactlyOnceVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jars on a real multi-process Flink cluster (1 JobManager, 2 TaskManager
 * processes), submitted over REST as into the official image, with a real Kafka broker and
 * checkpoints on a real S3 API server. Output is read with read_committed and compared exactly.
 */
class LocalClusterE2EIT {
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static LocalStack stack;
    private static KafkaTestClient kafka;

    @BeforeAll
    static void startStack() throws Exception {
        Path work =
                Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "stack-");
        stack = LocalStack.start(work, 2);
        kafka = new KafkaTestClient(stack.bootstrapServers());
    }

    /** A failed test must not leave its job holding slots the next test needs. */
    @AfterEach
    void cancelLeftoverJobs() throws Exception {
        for (JsonNode job : stack.rest().jobsOverview().path("jobs")) {
            String state = job.path("state").asText();
            if (!List.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
                stack.rest().cancel(job.path("jid").asText());
            }
        }
    }

    @AfterAll
    static void stopStack() {
        if (kafka != null) {
            kafka.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void bothShadedJarsGiveExactOutput() throws Exception {
        JobTopics lines = JobTopics.create(kafka, "wc");
        E2eData.Lines input =
                E2eData.lines(lines.input(), 20_000, hourAgo(), 10, WINDOW.toMillis());
        kafka.produce(lines.input(), input.records());
        JobTopics events = JobTopics.create(kafka, "sm");
        E2eData.Events eventInput = E2eData.events(events.input(), 1, 50_000, hourAgo());
        kafka.produce(events.input(), eventInput.records());

        String wordcount = submit("wordcount", lines, 2, List.of("--bounded"), Optional.empty());
        String statemachine =
                submit("statemachine", events, 2, List.of("--bounded"), Optional.empty());
        stack.rest().awaitState(wordcount, "FINISHED", Duration.ofMinutes(5));
        stack.rest().awaitState(statemachine, "FINISHED", Duration.ofMinutes(5));

        ExactlyOnceVerifier.assertExactlyOnce(input.expectedCounts(), committed(lines.output()));
        ExactlyOnceVerifier.assertExactlyOnce(
                eventInput.expectedAlerts(), committed(events.output()));
    }

    @Test
    void aKilledTaskManagerIsReplacedAndTheJobRestoresFromItsLatestCheckpoint() throws Exception {
        JobTopics events = JobTopics.create(kafka, "sm-kill");
        E2eData.Events all = E2eData.events(events.input(), 2, 200_000, hourAgo());
        String job = runPastACheckpointThenSendTheRest(events, all);

        long killed = stack.killTaskManagerOf(job); // kill -9, second half in flight
        stack.startTaskManager();

        assertExactWhileRunning(events.output(), all.expectedAlerts());
        assertThat(ProcessHandle.of(killed)).isEmpty();
        assertThat(stack.rest().restoredCheckpoint(job))
                .as("REST latest.restored: the job restored from a checkpoint")
                .isPresent();
        stack.rest().cancel(job);
    }

    @Test
    void checkpointsAndSavepointsLandOnS3AndARetainedCheckpointResumesExactly() throws Exception {
        JobTopics events = JobTopics.create(kafka, "sm-s3");
        long start = hourAgo();
        E2eData.Events all = E2eData.events(events.input(), 3, 40_000, start);
        int half = all.records().size() / 2;
        kafka.produce(events.input(), all.records().subList(0, half));

        String first = submit("statemachine", events, 2, List.of(), Optional.empty());
        stack.rest().awaitState(first, "RUNNING", Duration.ofMinutes(2));
        awaitCompletedCheckpoint(first);
        String savepoint = stack.rest().savepoint(first, "s3://flink/savepoints", false);
        long checkpointsBefore = stack.rest().completedCheckpoints(first);
        awaitCheckpointsAfter(first, checkpointsBefore + 1);
        stack.rest().cancel(first);
        stack.rest().awaitState(first, "CANCELED", Duration.ofMinutes(1));
        // Read only after the cancel: a checkpoint completing while it runs subsumes (deletes)
        // the one read before it, as only the latest is retained.
        String checkpoint =
                stack.rest().checkpoints(first).at("/latest/completed/external_path").asText();

        // The bucket, as S3 lists it: the savepoint, the retained checkpoint, shared SST files.
        assertThat(savepoint).startsWith("s3://flink/savepoints/savepoint-");
        assertThat(checkpoint).startsWith("s3://flink/checkpoints/" + first + "/chk-");
        assertThat(inBucket(savepoint).resolve("_metadata")).isRegularFile();
        assertThat(inBucket(checkpoint).resolve("_metadata")).isRegularFile();
        try (Stream<Path> shared =
                Files.list(stack.bucketDir().resolve("checkpoints/" + first + "/shared"))) {
            assertThat(shared.count()).as("incremental RocksDB files under shared/").isPositive();
        }

        // The rest of the input arrives while the job is down; it resumes from the checkpoint.
        kafka.produce(events.input(), all.records().subList(half, all.records().size()));
        String second = submit("statemachine", events, 2, List.of(), Optional.of(checkpoint));
        stack.rest().awaitState(second, "RUNNING", Duration.ofMinutes(2));
        assertExactWhileRunning(events.output(), all.expectedAlerts());
        assertThat(stack.rest().restoredCheckpoint(second)).isPresent();
        stack.rest().cancel(second);
    }

    @Test
    void upgradeWithStopWithSavepointToAChangedJobAtHigherParallelism() throws Exception {
        JobTopics lines = JobTopics.create(kafka, "wc-upgrade");
        long start = hourAgo();
        E2eData.Lines all = E2eData.lines(lines.input(), 8_000, start, 25, WINDOW.toMillis());
        int half = all.records().size() / 2;
        kafka.produce(lines.input(), all.records().subList(0, half));

        String v1 = submit("wordcount", lines, 2, List.of("--idleness", "0"), Optional.empty());
        stack.rest().awaitState(v1, "RUNNING", Duration.ofMinutes(2));
        awaitCompletedCheckpoint(v1);
        String savepoint = stack.rest().stopWithSavepoint(v1, "s3://flink/savepoints", false);
        stack.rest().awaitState(v1, "FINISHED", Duration.ofMinutes(1));

        // v2: one more operator (the late-words sink) and twice the parallelism.
        String lateTopic = lines.input().replace("-in-", "-late-");
        kafka.createTopic(lateTopic, 1);
        kafka.produce(lines.input(), all.records().subList(half, all.records().size()));
        // Later lines close every window of the data; their own windows never fire. (Not further
        // ahead than the broker accepts: log.message.timestamp.after.max.ms is 1 h by default.)
        kafka.produce(
                lines.input(),
                E2eData.flush(lines.input(), 4, start + Duration.ofMinutes(50).toMillis()));
        String v2 =
                submit(
                        "wordcount",
                        lines,
                        4,
                        List.of("--idleness", "0", "--late-topic", lateTopic),
                        Optional.of(savepoint));
        stack.rest().awaitState(v2, "RUNNING", Duration.ofMinutes(2));
        assertExactWhileRunning(lines.output(), all.expectedCounts());
        stack.rest().cancel(v2);
    }

    @Test
    void aKafkaBrokerRestartMidStreamIsRecoveredFromExactly() throws Exception {
        JobTopics events = JobTopics.create(kafka, "sm-broker");
        E2eData.Events all = E2eData.events(events.input(), 4, 200_000, hourAgo());
        String job = runPastACheckpointThenSendTheRest(events, all);

        stack.kafka().stop();
        Thread.sleep(3_000);
        stack.kafka().start();

        assertExactWhileRunning(events.output(), all.expectedAlerts());
        stack.rest().cancel(job);
    }

    /**
     * Runs the state machine (unbounded) on the first half of {@code events} until a checkpoint has
     * completed, then sends the second half: a failure injected right after this call hits a
     * running job with uncommitted input in flight, whatever the machine's speed.
     */
    private static String runPastACheckpointThenSendTheRest(JobTopics topics, E2eData.Events events)
            throws Exception {
        int half = events.records().size() / 2;
        kafka.produce(topics.input(), events.records().subList(0, half));
        String job = submit("statemachine", topics, 2, List.of(), Optional.empty());
        stack.rest().awaitState(job, "RUNNING", Duration.ofMinutes(2));
        awaitCompletedCheckpoint(job);
        kafka.produce(topics.input(), events.records().subList(half, events.records().size()));
        return job;
    }

    @Test
    void prometheusEndpointsServeJobAndCheckpointMetrics() throws Exception {
        JobTopics events = JobTopics.create(kafka, "sm-metrics");
        E2eData.Events input = E2eData.events(events.input(), 5, 5_000, hourAgo());
        kafka.produce(events.input(), input.records());
        String job = submit("statemachine", events, 2, List.of(), Optional.empty());
        stack.rest().awaitState(job, "RUNNING", Duration.ofMinutes(2));
        awaitCompletedCheckpoint(job);
        assertExactWhileRunning(events.output(), input.expectedAlerts());
        Thread.sleep(3_000); // a reporter scrape reflects the latest values

        String scraped = scrapeAll();
        assertThat(metricSum(scraped, "flink_taskmanager_job_task_operator_eventsIn", job))
                .isEqualTo(5_000);
        assertThat(metricSum(scraped, "flink_taskmanager_job_task_operator_alertsOut", job))
                .isEqualTo(input.expectedAlerts().size());
        assertThat(metricSum(scraped, "flink_jobmanager_job_numberOfCompletedCheckpoints", job))
                .isPositive();
        assertThat(scraped).contains("flink_jobmanager_job_lastCheckpointDuration{");
        assertThat(scraped).contains("flink_jobmanager_job_lastCheckpointSize{");
        stack.rest().cancel(job);
    }

    private static String submit(
            String jobName,
            JobTopics topics,
            int parallelism,
            List<String> extraArgs,
            Optional<String> fromSavepoint)
            throws Exception {
        List<String> args = new ArrayList<>(topics.jobArgs(stack.bootstrapServers()));
        args.addAll(extraArgs);
        Path jar = repoRoot().resolve("jobs/" + jobName + "/target/" + jobName + ".jar");
        // No entry class: the jar's Main-Class, as the operator's jarURI deployments use it.
        return stack.rest().submit(jar, null, parallelism, args, fromSavepoint);
    }

    private static void awaitCompletedCheckpoint(String job) throws Exception {
        awaitCheckpointsAfter(job, 1);
    }

    private static void awaitCheckpointsAfter(String job, long count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (stack.rest().completedCheckpoints(job) < count) {
            String state = stack.rest().jobState(job);
            if (!state.equals("RUNNING")
                    && !state.equals("INITIALIZING")
                    && !state.equals("CREATED")) {
                throw new AssertionError(
                        "job " + job + " is " + state + " before checkpoint " + count);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint " + count + " of " + job + " in 2 minutes");
            }
            Thread.sleep(100);
        }
    }

    private static void assertExactWhileRunning(String topic, List<String> expected)
            throws Exception {
        CommittedOutput.assertExactWhileRunning(kafka, topic, expected);
    }

    private static List<String> committed(String topic) {
        return CommittedOutput.committed(kafka, topic);
    }

    private static Path inBucket(String s3Path) {
        return stack.bucketDir().resolve(s3Path.substring("s3://flink/".length()));
    }

    private static String scrapeAll() throws Exception {
        StringBuilder all = new StringBuilder();
        for (String url : stack.metricsUrls()) {
            all.append(Http.get(url)).append('\n');
        }
        return all.toString();
    }

    private static long metricSum(String scraped, String metric, String jobId) {
        return CommittedOutput.metricSum(scraped, metric, jobId);
    }

    private static long hourAgo() {
        long t = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        return t - Math.floorMod(t, WINDOW.toMillis());
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }
}
