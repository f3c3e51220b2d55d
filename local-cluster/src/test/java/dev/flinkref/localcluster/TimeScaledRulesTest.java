package dev.flinkref.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeScaledRulesTest {
    @TempDir Path dir;

    @Test
    void rangesSubqueriesOffsetsAndForAreDividedAndNothingElse() throws Exception {
        Path rule = dir.resolve("rule.yaml");
        Files.writeString(
                rule,
                String.join(
                        "\n",
                        "apiVersion: monitoring.coreos.com/v1",
                        "kind: PrometheusRule",
                        "spec:",
                        "  groups:",
                        "    - name: g",
                        "      rules:",
                        "        - alert: A",
                        "          expr: deriv(max(x{a=~\"b[0-9]\"})[15m:1m]) > 0 and"
                                + " increase(y[10m] offset 1h) > 0",
                        "          for: 5m",
                        "          labels: {severity: warning}",
                        ""));
        JsonNode scaled =
                new ObjectMapper(new YAMLFactory())
                        .readTree(TimeScaledRules.ruleFile(rule, 30))
                        .at("/groups/0/rules/0");
        assertThat(scaled.get("expr").asText())
                .isEqualTo(
                        "deriv(max(x{a=~\"b[0-9]\"})[30s:2s]) > 0 and increase(y[20s] offset"
                                + " 120s) > 0");
        assertThat(scaled.get("for").asText()).isEqualTo("10s");
        assertThat(scaled.at("/labels/severity").asText()).isEqualTo("warning");
    }

    @Test
    void theScrapeConfigIsWhatThePodMonitorDeclares() throws Exception {
        Path repo = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        PodMonitorScrape scrape = PodMonitorScrape.ofRepository(repo);
        Map<String, Object> config = scrape.scrapeConfig(List.of("127.0.0.1:1"), 1);
        assertThat(config)
                .containsEntry("job_name", "podMonitor/flink-jobs/flink-jobs/0")
                .containsEntry("scrape_interval", "15s")
                .containsEntry("metrics_path", "/metrics");
        assertThat(config.get("static_configs").toString())
                .contains("namespace=flink-jobs", "endpoint=metrics", "job=flink-jobs/flink-jobs");
        assertThat(scrape.scrapeConfig(List.of("127.0.0.1:1"), 30))
                .containsEntry("scrape_interval", "500ms");
    }
}
