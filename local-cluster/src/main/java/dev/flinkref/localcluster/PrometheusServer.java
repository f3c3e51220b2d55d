package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.FreePorts;
import dev.flinkref.testkit.prometheus.PrometheusDurations;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) on loopback: it scrapes the given
 * targets as the repository's PodMonitor declares ({@link PodMonitorScrape}) and evaluates the
 * repository's alert rules ({@link TimeScaledRules}), both on a clock {@code timeScale} times
 * faster than production's (1: production's durations). Started and stopped by PID; its data lives
 * in the work directory.
 */
public final class PrometheusServer implements AutoCloseable {
    /** The Prometheus Operator's default rule evaluation interval. */
    private static final Duration EVALUATION_INTERVAL = Duration.ofSeconds(30);

    /** Prometheus' default: how far back a query looks for a series' latest sample. */
    private static final Duration LOOKBACK_DELTA = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagedProcess process;
    private final int port;

    private PrometheusServer(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The server binary: {@code $PROMETHEUS}, else {@code prometheus} on the PATH. */
    public static Path binary() {
        String configured = System.getenv("PROMETHEUS");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "prometheus");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "no prometheus binary on the PATH: install Debian's prometheus package"
                        + " (apt-get install prometheus) or set $PROMETHEUS");
    }

    public static boolean available() {
        try {
            binary();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Starts Prometheus in {@code workDir}, scraping {@code targets} (host:port) with the
     * repository's PodMonitor settings and evaluating its PrometheusRule, every duration divided by
     * {@code timeScale}; returns once it is ready.
     */
    public static PrometheusServer start(
            Path repoRoot, Path workDir, List<String> targets, int timeScale)
            throws IOException, InterruptedException {
        if (timeScale < 1) {
            throw new IllegalArgumentException("timeScale must be >= 1, was " + timeScale);
        }
        Path binary = binary();
        Files.createDirectories(workDir.resolve("data"));
        Path rules = workDir.resolve("flink-jobs.rules.yaml");
        Files.writeString(
                rules,
                TimeScaledRules.ruleFile(
                        repoRoot.resolve("k8s/monitoring/prometheusrule.yaml"), timeScale));
        Map<String, Object> global = new LinkedHashMap<>();
        global.put(
                "evaluation_interval",
                PrometheusDurations.format(EVALUATION_INTERVAL.dividedBy(timeScale)));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", global);
        config.put("rule_files", List.of(rules.toString()));
        config.put(
                "scrape_configs",
                List.of(PodMonitorScrape.ofRepository(repoRoot).scrapeConfig(targets, timeScale)));
        Path configFile = workDir.resolve("prometheus.yaml");
        Files.writeString(
                configFile, new ObjectMapper(new YAMLFactory()).writeValueAsString(config));

        int port = FreePorts.next();
        ManagedProcess process =
                ManagedProcess.start(
                        "prometheus",
                        List.of(
                                binary.toString(),
                                "--config.file=" + configFile,
                                "--storage.tsdb.path=" + workDir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port,
                                "--query.lookback-delta="
                                        + PrometheusDurations.format(
                                                LOOKBACK_DELTA.dividedBy(timeScale)),
                                "--log.level=warn"),
                        Map.of(),
                        workDir.resolve("prometheus.log"));
        PrometheusServer server = new PrometheusServer(process, port);
        try {
            Http.awaitUp("Prometheus", server.url() + "/-/ready", Duration.ofSeconds(60), process);
            server.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Http.status(url() + "/-/ready") != 200) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("Prometheus did not get ready; see its log");
            }
            Thread.sleep(200);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** The result of an instant query ({@code data.result}: one entry per series). */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode response =
                JSON.readTree(
                        Http.get(
                                url()
                                        + "/api/v1/query?query="
                                        + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        return response.at("/data/result");
    }

    /** Every pending or firing alert: its labels and its {@code state}. */
    public List<Map<String, String>> alerts() throws IOException, InterruptedException {
        JsonNode alerts = JSON.readTree(Http.get(url() + "/api/v1/alerts")).at("/data/alerts");
        List<Map<String, String>> result = new ArrayList<>();
        for (JsonNode alert : alerts) {
            Map<String, String> entry = new LinkedHashMap<>();
            alert.path("labels")
                    .fields()
                    .forEachRemaining(f -> entry.put(f.getKey(), f.getValue().asText()));
            entry.put("state", alert.path("state").asText());
            entry.put("activeAt", alert.path("activeAt").asText());
            result.add(entry);
        }
        return result;
    }

    /** Whether {@code alert} fires for the job named {@code jobName}. */
    public boolean isFiring(String alert, String jobName) throws IOException, InterruptedException {
        return alerts().stream().anyMatch(firing(alert, jobName));
    }

    /** Waits until {@code alert} fires for {@code jobName}; returns when it was seen firing. */
    public Instant awaitAlertFiring(String alert, String jobName, Duration timeout)
            throws IOException, InterruptedException {
        return await(timeout, true, alert, jobName);
    }

    /**
     * Waits until {@code alert} is neither pending nor firing for {@code jobName} any more; returns
     * when that was seen.
     */
    public Instant awaitAlertResolved(String alert, String jobName, Duration timeout)
            throws IOException, InterruptedException {
        return await(timeout, false, alert, jobName);
    }

    private Instant await(Duration timeout, boolean firing, String alert, String jobName)
            throws IOException, InterruptedException {
        Predicate<Map<String, String>> matches =
                firing
                        ? firing(alert, jobName)
                        : a ->
                                alert.equals(a.get("alertname"))
                                        && jobName.equals(a.get("job_name"));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Map<String, String>> alerts = alerts();
        while (alerts.stream().anyMatch(matches) != firing) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "alert "
                                + alert
                                + " for job "
                                + jobName
                                + (firing ? " did not fire" : " did not resolve")
                                + " within "
                                + timeout
                                + "; active alerts: "
                                + alerts);
            }
            Thread.sleep(250);
            alerts = alerts();
        }
        return Instant.now();
    }

    private static Predicate<Map<String, String>> firing(String alert, String jobName) {
        return a ->
                alert.equals(a.get("alertname"))
                        && jobName.equals(a.get("job_name"))
                        && "firing".equals(a.get("state"));
    }

    @Override
    public void close() {
        process.stop();
    }
}
