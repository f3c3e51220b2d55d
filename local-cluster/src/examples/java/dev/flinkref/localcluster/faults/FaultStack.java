package dev.flinkref.localcluster.faults;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flinkref.localcluster.CommittedOutput;
import dev.flinkref.localcluster.FlinkRestClient;
import dev.flinkref.localcluster.JobTopics;
import dev.flinkref.localcluster.LocalStack;
import dev.flinkref.localcluster.PrometheusServer;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local stack (Kafka, S3, 1 JobManager, 2 TaskManagers) and a real Prometheus evaluating the
 * repository's alert rules, shared by the tests of a fault class, with what they all do: fresh
 * topics, an example job's shaded jar submitted over REST, the job's checkpoint and restart
 * counters, its recovery, and every alert change ({@link AlertLog}). A JUnit extension in a static
 * field, as flink-test-utils' MiniClusterExtension: started before the class's tests, a failed
 * test's leftover jobs cancelled after it, closed after the class.
 */
final class FaultStack implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    static final Duration WINDOW = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * Prometheus' clock runs 30x faster than production's ({@code TimeScaledRules}): a rule's 10
     * min window is 20 s here. The faults themselves run in real time, so a 60 s outage looks like
     * 30 min to the rules; the reports give both.
     */
    static final int TIME_SCALE = 30;

    /** How a test class starts its stack, in a fresh work directory. */
    @FunctionalInterface
    interface Starter {
        LocalStack start(Path workDir) throws Exception;
    }

    private final Starter starter;
    final int timeScale;
    LocalStack stack;
    KafkaTestClient kafka;
    PrometheusServer prometheus;
    AlertLog alerts;

    private FaultStack(Starter starter, int timeScale) {
        this.starter = starter;
        this.timeScale = timeScale;
    }

    /** A plain stack, its rules {@link #TIME_SCALE} times faster. */
    static FaultStack plain() {
        return withConfiguration(Map.of());
    }

    /** A stack with {@code configuration} for its JobManager and TaskManagers. */
    static FaultStack withConfiguration(Map<String, String> configuration) {
        return of(work -> LocalStack.start(work, 2, configuration), TIME_SCALE);
    }

    /** Any stack, its rules {@code timeScale} times faster. */
    static FaultStack of(Starter starter, int timeScale) {
        return new FaultStack(starter, timeScale);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // As DashboardQueriesIT: skipped without a prometheus binary, unless CI requires it.
        assumeTrue(
                PrometheusServer.available()
                        || "required".equals(System.getenv("PROMETHEUS_TESTS")),
                "no prometheus binary (apt-get install prometheus)");
        Path work =
                Files.createTempDirectory(
                        Path.of(System.getProperty("java.io.tmpdir")),
                        context.getRequiredTestClass().getSimpleName() + "-");
        stack = starter.start(work);
        kafka = new KafkaTestClient(stack.bootstrapServers());
        prometheus = stack.startPrometheus(repoRoot(), timeScale);
        alerts = AlertLog.of(prometheus);
    }

    /** Cancels what a failed test left running, so that the next one finds free slots. */
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (JsonNode job : rest().jobsOverview().path("jobs")) {
            String state = job.path("state").asText();
            if (!List.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
                rest().cancel(job.path("jid").asText());
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (alerts != null) {
            alerts.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    JobTopics topics(String name) {
        return JobTopics.create(kafka, name);
    }

    /**
     * Submits {@code jobs/<jobName>}'s shaded jar, unbounded (a bounded job may not finish after a
     * recovery, FLINK-31006), and waits until it runs.
     */
    String submit(String jobName, JobTopics topics) throws Exception {
        return submit(jobName, topics, Map.of());
    }

    /**
     * As {@link #submit(String, JobTopics)}, with {@code flinkConfiguration} for this job only (the
     * run request's field, as the operator sends a session job's).
     */
    String submit(String jobName, JobTopics topics, Map<String, String> flinkConfiguration)
            throws Exception {
        Path jar = repoRoot().resolve("jobs/" + jobName + "/target/" + jobName + ".jar");
        ObjectNode request = FlinkRestClient.newRequest();
        request.put("parallelism", 2);
        topics.jobArgs(stack.bootstrapServers()).forEach(request.putArray("programArgsList")::add);
        ObjectNode configuration = request.putObject("flinkConfiguration");
        flinkConfiguration.forEach(configuration::put);
        String job = rest().runJar(rest().uploadJar(jar), request);
        rest().awaitState(job, "RUNNING", Duration.ofMinutes(2));
        return job;
    }

    /**
     * The {@code spec.flinkConfiguration} entries of the manifests' shared defaults
     * (k8s/components/flink-defaults) whose keys start with {@code prefix}: for a stack that runs
     * with production's settings of one concern instead of retyping them.
     */
    static Map<String, String> manifestDefaults(String prefix) throws IOException {
        JsonNode config =
                new ObjectMapper(new YAMLFactory())
                        .readTree(
                                repoRoot()
                                        .resolve(
                                                "k8s/components/flink-defaults/flink-defaults.yaml")
                                        .toFile())
                        .at("/spec/flinkConfiguration");
        Map<String, String> selected = new TreeMap<>();
        config.fields()
                .forEachRemaining(
                        entry -> {
                            if (entry.getKey().startsWith(prefix)) {
                                selected.put(entry.getKey(), entry.getValue().asText());
                            }
                        });
        return selected;
    }

    FlinkRestClient rest() {
        return stack.rest();
    }

    long completedCheckpoints(String job) throws Exception {
        return rest().completedCheckpoints(job);
    }

    long failedCheckpoints(String job) throws Exception {
        return rest().checkpoints(job).at("/counts/failed").asLong();
    }

    /** The JobManager's {@code numRestarts} of the job (what FlinkJobRestarting alerts on). */
    long restarts(String job) throws Exception {
        JsonNode metrics = rest().get("/jobs/" + job + "/metrics?get=numRestarts");
        return metrics.isArray() && !metrics.isEmpty() ? metrics.get(0).path("value").asLong() : 0;
    }

    /** Waits until the job has completed more than {@code count} checkpoints. */
    void awaitCheckpointsAfter(String job, long count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completedCheckpoints(job) <= count) {
            String state = rest().jobState(job);
            if (List.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
                throw new AssertionError("job " + job + " is " + state);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint after " + count + " within " + timeout);
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
                JsonNode details = rest().get("/jobs/" + job);
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
            if (committedCount(topic) > before) {
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

    /** Sum of a metric over the job's series on every reporter endpoint of the stack. */
    long metricSum(String metric, String job) throws Exception {
        long sum = 0;
        for (String url : stack.metricsUrls()) {
            String scraped;
            try {
                scraped = get(url);
            } catch (IOException e) {
                continue; // a TaskManager going away between listing and scraping
            }
            sum += CommittedOutput.metricSum(scraped, metric, job);
        }
        return sum;
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** An hour ago, at a window boundary: event time far enough back to be final at once. */
    static long hourAgo() {
        long t = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        return t - Math.floorMod(t, WINDOW.toMillis());
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }
}
