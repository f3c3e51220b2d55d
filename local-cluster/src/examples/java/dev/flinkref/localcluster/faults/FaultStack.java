package dev.flinkref.localcluster.faults;

import dev.flinkref.localcluster.CommittedOutput;
import dev.flinkref.localcluster.FlinkRestClient;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * One local stack (Kafka, S3, 1 JobManager, 2 TaskManagers) shared by the tests of a fault class,
 * with what they all do: fresh topics, an example job's shaded jar submitted over REST, the job's
 * checkpoint and restart counters.
 */
final class FaultStack implements AutoCloseable {
    static final Duration WINDOW = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * Prometheus' clock runs 30x faster than production's ({@code TimeScaledRules}): a
     * rule's 10 min window is 20 s here. The faults themselves run in real time, so a 60 s outage
     * looks like 30 min to the rules; the reports give both.
     */
    static final int TIME_SCALE = 30;

    final LocalStack stack;
    final KafkaTestClient kafka;
    final PrometheusServer prometheus;
    final AlertLog alerts;

    private FaultStack(LocalStack stack, PrometheusServer prometheus) {
        this.stack = stack;
        this.kafka = new KafkaTestClient(stack.bootstrapServers());
        this.prometheus = prometheus;
        this.alerts = AlertLog.of(prometheus);
    }

    static FaultStack start() throws Exception {
        return start(Map.of());
    }

    static FaultStack start(Map<String, String> configuration) throws Exception {
        Path work =
                Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "stack-");
        LocalStack stack = LocalStack.start(work, 2, configuration);
        try {
            return new FaultStack(stack, stack.startPrometheus(repoRoot(), TIME_SCALE));
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    record Topics(String input, String output, String dlq) {}

    Topics topics(String name) {
        String input = kafka.createUniqueTopic(name + "-in", 4);
        Topics topics =
                new Topics(input, input.replace("-in-", "-out-"), input.replace("-in-", "-dlq-"));
        kafka.createTopic(topics.output, 2);
        kafka.createTopic(topics.dlq, 1);
        return topics;
    }

    /** Submits {@code jobs/<jobName>}'s shaded jar, unbounded, and waits until it runs. */
    String submit(String jobName, Topics topics) throws Exception {
        return submit(jobName, topics, Map.of());
    }

    /**
     * As {@link #submit(String, Topics)}, with {@code flinkConfiguration} for this job only (the
     * run request's field, as the operator sends a session job's).
     */
    String submit(String jobName, Topics topics, Map<String, String> flinkConfiguration)
            throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers", stack.bootstrapServers(),
                                "--input-topic", topics.input,
                                "--output-topic", topics.output,
                                "--dlq-topic", topics.dlq,
                                "--group-id", topics.input,
                                "--transactional-id-prefix", topics.input));
        Path jar = repoRoot().resolve("jobs/" + jobName + "/target/" + jobName + ".jar");
        ObjectNode request = FlinkRestClient.newRequest();
        request.put("parallelism", 2);
        args.forEach(request.putArray("programArgsList")::add);
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
                                        .resolve("k8s/components/flink-defaults/flink-defaults.yaml")
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

    /** Cancels what a failed test left running, so that the next one finds free slots. */
    void cancelRunningJobs() throws Exception {
        for (JsonNode job : rest().jobsOverview().path("jobs")) {
            String state = job.path("state").asText();
            if (!List.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
                rest().cancel(job.path("jid").asText());
            }
        }
    }

    /** An hour ago, at a window boundary: event time far enough back to be final at once. */
    static long hourAgo() {
        long t = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        return t - Math.floorMod(t, WINDOW.toMillis());
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    @Override
    public void close() {
        try {
            alerts.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kafka.close();
        stack.close();
    }
}
