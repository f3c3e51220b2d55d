package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkref.testkit.prometheus.PrometheusDurations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The PrometheusRule's alerts in a real promtool: its groups load ({@code promtool check rules})
 * and behave as the fixtures in {@code k8s/monitoring/tests} say ({@code promtool test rules});
 * every alert has a fixture in which it fires, one in which it stays quiet and one in which it
 * resolves; the fixtures' series carry the labels the real stack produces. Without promtool on the
 * PATH the promtool tests skip, unless {@code PROMETHEUS_TESTS=required} (CI), which fails.
 */
class PrometheusRulesIT {
    /** The name the fixtures' {@code rule_files} give the PrometheusRule's groups. */
    private static final String RULE_FILE = "flink-jobs-rules.yaml";

    /** What the Prometheus Operator adds to every series of a PodMonitor target. */
    private static final Set<String> POD_MONITOR_LABELS =
            Set.of("namespace", "pod", "container", "endpoint", "instance", "job");

    /**
     * The labels of Flink 2.2's Prometheus reporter per metric scope, as scraped from the local
     * stack's JobManager and TaskManager (the variables of each scope, '<' and '>' dropped).
     */
    private static final Map<String, Set<String>> REPORTER_LABELS =
            Map.of(
                    "flink_jobmanager_job_",
                    Set.of("host", "job_id", "job_name"),
                    "flink_taskmanager_job_task_operator_",
                    Set.of(
                            "host",
                            "tm_id",
                            "job_id",
                            "job_name",
                            "task_id",
                            "task_attempt_id",
                            "task_attempt_num",
                            "task_name",
                            "operator_id",
                            "operator_name",
                            "subtask_index"));

    private static final Pattern SERIES = Pattern.compile("(\\w+)\\{(.*)}");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    @Test
    void rulesPassPromtoolCheck() throws Exception {
        String promtool = promtool();
        assertPromtoolPasses(promtool, workDir("check"), "check", "rules", RULE_FILE);
    }

    @Test
    void rulesPassTheirFixtures() throws Exception {
        String promtool = promtool();
        Path dir = workDir("test");
        for (Path fixture : fixtures()) {
            Files.copy(fixture, dir.resolve(fixture.getFileName()));
            assertPromtoolPasses(promtool, dir, "test", "rules", fixture.getFileName().toString());
        }
    }

    @Test
    void everyAlertFiresStaysQuietAndResolvesInTheFixtures() throws Exception {
        assertThat(missingCases(alerts(), fixtures()))
                .as(
                        "alerts of k8s/monitoring/prometheusrule.yaml without promtool fixtures in"
                                + " k8s/monitoring/tests (a test in which the alert fires with its"
                                + " labels and annotations; one in which it never fires; one with"
                                + " no alert at an eval_time after it fired)")
                .isEmpty();
    }

    @Test
    void anAlertWithoutFixturesIsNamed() throws Exception {
        List<String> alerts = new ArrayList<>(alerts());
        alerts.add("FlinkSomethingNew");
        assertThat(missingCases(alerts, fixtures()))
                .containsExactly(
                        "FlinkSomethingNew: no test in which it fires,"
                                + " no test in which it stays quiet,"
                                + " no test in which it resolves");
    }

    @Test
    void fixtureSeriesCarryTheLabelsOfTheRealStack() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Path fixture : fixtures()) {
            JsonNode tests = Yaml.MAPPER.readTree(fixture.toFile());
            assertThat(tests.path("rule_files").toString())
                    .as(fixture + ": rule_files (the file this IT writes)")
                    .isEqualTo("[\"" + RULE_FILE + "\"]");
            for (JsonNode series : tests.path("tests").findValues("series")) {
                String problem = labelProblem(series.asText());
                if (problem != null) {
                    wrong.add(fixture.getFileName() + ": " + series.asText() + ": " + problem);
                }
            }
        }
        assertThat(wrong).as("fixture series unlike the real stack's").isEmpty();
    }

    @Test
    void aSeriesUnlikeTheRealStacksIsNamed() {
        assertThat(labelProblem("flink_jobmanager_job_runningTime{job_name=\"j\",job_id=\"1\"}"))
                .startsWith("labels [job_id, job_name], expected [container, endpoint, host,");
        assertThat(labelProblem("flink_jobmanager_uptime{job_name=\"j\"}"))
                .startsWith("no known reporter scope");
    }

    @Test
    void promtoolFailuresAreShown() throws Exception {
        String promtool = promtool();
        Path dir = workDir("failing");
        Files.writeString(
                dir.resolve("wrong.test.yaml"),
                """
                rule_files: [%s]
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'flink_jobmanager_job_runningTime{namespace="ns",job_name="j"}'
                        values: '0x10'
                    alert_rule_test:
                      - alertname: FlinkJobNotRunning
                        eval_time: 8m
                        exp_alerts:
                          - exp_labels: {severity: critical, namespace: ns, job_name: j}
                            exp_annotations: {summary: "Flink job j is running"}
                """
                        .formatted(RULE_FILE));
        assertThatThrownBy(
                        () ->
                                assertPromtoolPasses(
                                        promtool, dir, "test", "rules", "wrong.test.yaml"))
                .hasMessageContaining("FAILED")
                .hasMessageContaining("summary=\"Flink job j is not running\"");

        Files.writeString(
                dir.resolve("broken-rules.yaml"),
                "groups: [{name: g, rules: [{alert: A, expr: 'increase(flink_x) > 0'}]}]\n");
        assertThatThrownBy(
                        () ->
                                assertPromtoolPasses(
                                        promtool, dir, "check", "rules", "broken-rules.yaml"))
                .hasMessageContaining("expected type range vector");
    }

    /** Runs promtool in {@code dir}; a failure carries promtool's whole output. */
    private static void assertPromtoolPasses(String promtool, Path dir, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool));
        command.addAll(List.of(args));
        Commands.Result result = Commands.run(dir, command);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    String.join(" ", command)
                            + " (in "
                            + dir
                            + ") exited with "
                            + result.exitCode()
                            + ":\n"
                            + result.output());
        }
    }

    /**
     * The cases each alert lacks: "fires" (expected with its labels and annotations), "stays quiet"
     * (a test in which it is never expected), "resolves" (expected absent at an eval_time after one
     * at which it fired).
     */
    static List<String> missingCases(List<String> alerts, List<Path> fixtures) throws IOException {
        Map<String, Set<String>> found = new TreeMap<>();
        for (Path fixture : fixtures) {
            for (JsonNode test : Yaml.MAPPER.readTree(fixture.toFile()).path("tests")) {
                Map<String, List<JsonNode>> byAlert = new LinkedHashMap<>();
                for (JsonNode check : test.path("alert_rule_test")) {
                    byAlert.computeIfAbsent(
                                    check.path("alertname").asText(), a -> new ArrayList<>())
                            .add(check);
                }
                byAlert.forEach(
                        (alert, checks) -> {
                            checks.sort(
                                    Comparator.comparing(
                                            c ->
                                                    PrometheusDurations.parse(
                                                            c.path("eval_time").asText())));
                            Set<String> kinds = found.computeIfAbsent(alert, a -> new TreeSet<>());
                            boolean fired = false;
                            for (JsonNode check : checks) {
                                JsonNode expected = check.path("exp_alerts");
                                boolean firing = !expected.isEmpty();
                                if (firing && isExact(expected)) {
                                    kinds.add("fires");
                                } else if (!firing && fired) {
                                    kinds.add("resolves");
                                }
                                fired |= firing;
                            }
                            if (!fired) {
                                kinds.add("stays quiet");
                            }
                        });
            }
        }
        List<String> missing = new ArrayList<>();
        for (String alert : alerts) {
            Set<String> kinds = found.getOrDefault(alert, Set.of());
            List<String> lacking =
                    Stream.of("fires", "stays quiet", "resolves")
                            .filter(kind -> !kinds.contains(kind))
                            .map(kind -> "no test in which it " + kind)
                            .toList();
            if (!lacking.isEmpty()) {
                missing.add(alert + ": " + String.join(", ", lacking));
            }
        }
        return missing;
    }

    /** Every expected alert states its labels and its annotations (promtool compares both). */
    private static boolean isExact(JsonNode expectedAlerts) {
        for (JsonNode alert : expectedAlerts) {
            if (alert.path("exp_labels").isEmpty() || alert.path("exp_annotations").isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Why a fixture series' labels differ from what the reporter and the operator produce. */
    private static String labelProblem(String series) {
        Matcher matcher = SERIES.matcher(series.strip());
        if (!matcher.matches()) {
            return "not of the form name{labels}";
        }
        String name = matcher.group(1);
        Set<String> labels = new TreeSet<>();
        Matcher label = LABEL.matcher(matcher.group(2));
        while (label.find()) {
            labels.add(label.group(1));
        }
        for (Map.Entry<String, Set<String>> scope : REPORTER_LABELS.entrySet()) {
            if (name.startsWith(scope.getKey())) {
                Set<String> expected = new TreeSet<>(POD_MONITOR_LABELS);
                expected.addAll(scope.getValue());
                return labels.equals(expected)
                        ? null
                        : "labels " + labels + ", expected " + expected;
            }
        }
        return "no known reporter scope (known: " + REPORTER_LABELS.keySet() + ")";
    }

    private static JsonNode prometheusRule() throws IOException {
        return Yaml.MAPPER.readTree(
                RepoPaths.root().resolve("k8s/monitoring/prometheusrule.yaml").toFile());
    }

    private static List<String> alerts() throws IOException {
        return prometheusRule().path("spec").path("groups").findValuesAsText("alert");
    }

    private static List<Path> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(RepoPaths.root().resolve("k8s/monitoring/tests"))) {
            List<Path> found =
                    files.filter(f -> f.getFileName().toString().endsWith(".test.yaml"))
                            .sorted()
                            .toList();
            assertThat(found).as("promtool fixtures in k8s/monitoring/tests").isNotEmpty();
            return found;
        }
    }

    /**
     * A fresh directory in target/ holding the PrometheusRule's {@code spec.groups} as a plain rule
     * file, the form promtool and Prometheus load, under the name the fixtures refer to.
     */
    private static Path workDir(String name) throws IOException {
        Path dir = RepoPaths.root().resolve("k8s/target/promtool").resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(dir);
        ObjectNode rules = Yaml.MAPPER.createObjectNode();
        rules.set("groups", prometheusRule().path("spec").path("groups"));
        Yaml.MAPPER.writeValue(dir.resolve(RULE_FILE).toFile(), rules);
        return dir;
    }

    private static String promtool() {
        if (!Commands.available("promtool")) {
            String reason =
                    "promtool not on PATH: alert rules not tested here (apt-get install"
                            + " prometheus)";
            if ("required".equals(System.getenv("PROMETHEUS_TESTS"))) {
                fail("PROMETHEUS_TESTS=required, but " + reason);
            }
            assumeTrue(false, reason);
        }
        return "promtool";
    }
}
