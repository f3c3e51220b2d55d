package dev.flinkref.localcluster;

import dev.flinkref.testkit.prometheus.PrometheusDurations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A Prometheus scrape configuration for processes outside Kubernetes, made from what the PodMonitor
 * declares, as the Prometheus Operator would make it for the pods: one scrape job per endpoint,
 * named and labelled the operator's way ({@code job} = namespace/name, {@code namespace}, {@code
 * container}, {@code endpoint} = the port's name), with its path, interval and scrape timeout, its
 * metric relabelings, and those relabelings of targets that do not read Kubernetes metadata (which
 * does not exist here). Targets are the given host:port addresses in place of the pods' ports of
 * that name.
 */
public final class PodMonitorScrape {
    private static final String CONTAINER = "flink-main-container";

    private final String name;
    private final String namespace;
    private final JsonNode endpoint;

    private PodMonitorScrape(String name, String namespace, JsonNode endpoint) {
        this.name = name;
        this.namespace = namespace;
        this.endpoint = endpoint;
    }

    /**
     * The PodMonitor of the repository ({@code k8s/base/shared/podmonitor.yaml}) in the namespace
     * {@code k8s/base} deploys to.
     */
    public static PodMonitorScrape ofRepository(Path repoRoot) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        String namespace =
                yaml.readTree(repoRoot.resolve("k8s/base/kustomization.yaml").toFile())
                        .path("namespace")
                        .asText("default");
        JsonNode podMonitor =
                yaml.readTree(repoRoot.resolve("k8s/base/shared/podmonitor.yaml").toFile());
        JsonNode endpoints = podMonitor.at("/spec/podMetricsEndpoints");
        if (endpoints.size() != 1) {
            throw new IllegalStateException(
                    "expected one podMetricsEndpoint in podmonitor.yaml, found "
                            + endpoints.size());
        }
        return new PodMonitorScrape(
                podMonitor.at("/metadata/name").asText(), namespace, endpoints.get(0));
    }

    /** The declared scrape interval (the operator's default when none is declared: 30 s). */
    public Duration interval() {
        return PrometheusDurations.parse(endpoint.path("interval").asText("30s"));
    }

    /**
     * The scrape_config for {@code targets} (host:port), every interval divided by {@code
     * timeScale} (see {@link TimeScaledRules}).
     */
    public Map<String, Object> scrapeConfig(List<String> targets, int timeScale) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("job_name", "podMonitor/" + namespace + "/" + name + "/0");
        config.put("scrape_interval", PrometheusDurations.format(interval().dividedBy(timeScale)));
        if (endpoint.has("scrapeTimeout")) {
            config.put(
                    "scrape_timeout",
                    PrometheusDurations.divide(endpoint.get("scrapeTimeout").asText(), timeScale));
        } else {
            config.put(
                    "scrape_timeout", PrometheusDurations.format(interval().dividedBy(timeScale)));
        }
        config.put("metrics_path", endpoint.path("path").asText("/metrics"));
        config.put("scheme", endpoint.path("scheme").asText("http"));
        config.put("honor_labels", endpoint.path("honorLabels").asBoolean(false));
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("job", namespace + "/" + name);
        labels.put("namespace", namespace);
        labels.put("container", CONTAINER);
        labels.put("endpoint", endpoint.path("port").asText());
        config.put("static_configs", List.of(Map.of("targets", targets, "labels", labels)));
        List<Map<String, Object>> relabelings = relabelings(endpoint.path("relabelings"), true);
        if (!relabelings.isEmpty()) {
            config.put("relabel_configs", relabelings);
        }
        List<Map<String, Object>> metricRelabelings =
                relabelings(endpoint.path("metricRelabelings"), false);
        if (!metricRelabelings.isEmpty()) {
            config.put("metric_relabel_configs", metricRelabelings);
        }
        return config;
    }

    /**
     * The operator's camelCase relabel configs in Prometheus' snake_case; for targets without those
     * that read {@code __meta_kubernetes_*} labels.
     */
    private static List<Map<String, Object>> relabelings(JsonNode configs, boolean ofTargets) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (JsonNode config : configs) {
            if (ofTargets && config.toString().contains("__meta_kubernetes_")) {
                continue;
            }
            Map<String, Object> converted = new LinkedHashMap<>();
            config.fields()
                    .forEachRemaining(
                            field -> {
                                String key =
                                        field.getKey().replaceAll("([A-Z])", "_$1").toLowerCase();
                                JsonNode value = field.getValue();
                                if (value.isArray()) {
                                    List<String> items = new ArrayList<>();
                                    value.forEach(item -> items.add(item.asText()));
                                    converted.put(key, items);
                                } else {
                                    converted.put(key, value.asText());
                                }
                            });
            // The operator lowercases the action; Prometheus accepts either.
            converted.computeIfPresent("action", (k, v) -> v.toString().toLowerCase());
            result.add(converted);
        }
        return result;
    }
}
