package dev.flinkref.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flinkref.testkit.jobs.JobModule;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard against a real Prometheus: every job of the repository runs a short while
 * on the local stack (fed its {@link JobSample} where it has one), Prometheus scrapes the stack as
 * the PodMonitor declares, and every panel's every query, with the dashboard's template variables
 * substituted as Grafana substitutes them, must return at least one series. A panel that returns
 * nothing (a wrong metric or label name, a job-specific panel for a job that is gone) fails here.
 */
class DashboardQueriesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Scrape every 0.5 s instead of 15 s: the panels' rate windows fill within seconds. */
    private static final int TIME_SCALE = 30;

    @TempDir Path work;

    @Test
    void everyPanelQueryReturnsDataFromARealPrometheus() throws Exception {
        assumeTrue(
                PrometheusServer.available()
                        || "required".equals(System.getenv("PROMETHEUS_TESTS")),
                "no prometheus binary (apt-get install prometheus)");
        Path repo = repoRoot();
        List<JobModule> jobs = JobModule.discover(repo);
        JsonNode dashboard =
                JSON.readTree(repo.resolve("k8s/monitoring/flink-jobs-dashboard.json").toFile());

        try (LocalStack stack = LocalStack.start(work.resolve("stack"), jobs.size());
                KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers())) {
            PrometheusServer prometheus = stack.startPrometheus(repo, TIME_SCALE);
            for (JobModule job : jobs) {
                List<String> topics = job.defaultTopics();
                kafka.createTopic(topics.get(0), 4);
                kafka.createTopic(topics.get(1), 2);
                kafka.createTopic(topics.get(2), 1);
                Optional<JobSample> sample = JobSample.of(job.name());
                if (sample.isPresent()) {
                    sample.get()
                            .inputs(topics.get(0))
                            .parts()
                            .forEach(p -> kafka.produce(topics.get(0), p));
                }
                String id =
                        stack.rest()
                                .submit(
                                        job.shadedJar(),
                                        null,
                                        2,
                                        List.of("--bootstrap-servers", stack.bootstrapServers()),
                                        Optional.empty());
                stack.rest().awaitState(id, "RUNNING", Duration.ofMinutes(2));
            }

            // Scraped as the PodMonitor declares: the operator's labels on every Flink process.
            JsonNode up = awaitSeries(prometheus, "up == 1", 1 + jobs.size());
            assertThat(up.get(0).at("/metric/namespace").asText()).isEqualTo("flink-jobs");
            assertThat(up.get(0).at("/metric/endpoint").asText()).isEqualTo("metrics");

            Map<String, String> empty = new LinkedHashMap<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            String everyJob =
                    "("
                            + String.join("|", jobs.stream().map(JobModule::name).sorted().toList())
                            + ")";
            Map<String, String> variables;
            // Retried until every job has been scraped and every panel has data: a job RUNNING
            // over REST appears in Prometheus with the next scrape of its JobManager.
            do {
                variables = variables(prometheus, dashboard);
                empty.clear();
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        String query = substitute(target.path("expr").asText(), variables);
                        if (prometheus.query(query).isEmpty()) {
                            empty.put(panel.path("title").asText(), query);
                        }
                    }
                }
                Thread.sleep(1_000);
            } while ((!empty.isEmpty() || !everyJob.equals(variables.get("job")))
                    && System.nanoTime() < deadline);
            assertThat(variables.get("job"))
                    .as("the job variable lists every job")
                    .isEqualTo(everyJob);
            assertThat(empty).as("panels whose query returned no series").isEmpty();
        }
    }

    /**
     * The dashboard's variables as Grafana resolves them with their defaults: a {@code
     * label_values(metric, label)} query variable lists the label's values; "All" of a multi-value
     * variable becomes the regex {@code (a|b)} of every value.
     */
    private static Map<String, String> variables(PrometheusServer prometheus, JsonNode dashboard)
            throws Exception {
        Map<String, String> variables = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (!variable.path("type").asText().equals("query")) {
                continue;
            }
            String definition =
                    variable.at("/query/query").asText(variable.path("definition").asText());
            java.util.regex.Matcher labelValues =
                    java.util.regex.Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)")
                            .matcher(definition);
            assertThat(labelValues.matches())
                    .as("variable %s: only label_values(metric, label) is supported", definition)
                    .isTrue();
            List<String> values = new ArrayList<>();
            for (JsonNode series :
                    prometheus.query(
                            "group by ("
                                    + labelValues.group(2)
                                    + ") ("
                                    + labelValues.group(1)
                                    + ")")) {
                values.add(series.at("/metric/" + labelValues.group(2)).asText());
            }
            values.sort(String::compareTo);
            variables.put(
                    variable.path("name").asText(),
                    values.size() == 1 && !variable.path("includeAll").asBoolean()
                            ? values.get(0)
                            : "(" + String.join("|", values) + ")");
        }
        return variables;
    }

    /** {@code $name} and {@code ${name}} replaced; a variable the dashboard lacks fails. */
    private static String substitute(String expr, Map<String, String> variables) {
        String result = expr;
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            result =
                    result.replace("${" + variable.getKey() + "}", variable.getValue())
                            .replace("$" + variable.getKey(), variable.getValue());
        }
        assertThat(result).as("unresolved variable in " + expr).doesNotContain("$");
        return result;
    }

    private static JsonNode awaitSeries(PrometheusServer prometheus, String query, int count)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonNode result = prometheus.query(query);
        while (result.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(500);
            result = prometheus.query(query);
        }
        assertThat(result.size()).as(query + ": " + result).isGreaterThanOrEqualTo(count);
        return result;
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("repo.root")).toAbsolutePath();
    }
}
