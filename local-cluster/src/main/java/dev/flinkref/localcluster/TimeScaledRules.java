package dev.flinkref.localcluster;

import dev.flinkref.testkit.prometheus.PrometheusDurations;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The alert rules of a PrometheusRule as a Prometheus rule file, with every duration divided by a
 * factor: each {@code for:}, range selector {@code [10m]} and subquery {@code [15m:1m]}. With the
 * scrape and evaluation intervals divided by the same factor, an alert behaves as in production on
 * a clock that runs {@code factor} times faster, so a test sees a {@code for: 10m} alert fire and
 * resolve in seconds. The expressions are otherwise unchanged; the rule tests (promtool, k8s
 * module) check them at their real durations.
 */
public final class TimeScaledRules {
    private static final Pattern RANGE = Pattern.compile("\\[([0-9a-z]+)(?::([0-9a-z]*))?\\]");
    private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+([0-9a-z]+)");

    private TimeScaledRules() {}

    /** The rule file ({@code groups:}) of the PrometheusRule at {@code prometheusRule}. */
    public static String ruleFile(Path prometheusRule, int factor) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode groups = yaml.readTree(prometheusRule.toFile()).at("/spec/groups");
        if (!groups.isArray() || groups.isEmpty()) {
            throw new IllegalArgumentException("no spec.groups in " + prometheusRule);
        }
        for (JsonNode group : groups) {
            if (group.has("interval")) {
                ((ObjectNode) group)
                        .put(
                                "interval",
                                PrometheusDurations.divide(group.get("interval").asText(), factor));
            }
            for (JsonNode rule : group.path("rules")) {
                ObjectNode node = (ObjectNode) rule;
                node.put("expr", expression(rule.get("expr").asText(), factor));
                if (rule.has("for")) {
                    node.put("for", PrometheusDurations.divide(rule.get("for").asText(), factor));
                }
            }
        }
        ObjectNode file = yaml.createObjectNode();
        file.set("groups", groups);
        return yaml.writeValueAsString(file);
    }

    /** {@code expr} with its range, subquery and offset durations divided by {@code factor}. */
    static String expression(String expr, int factor) {
        Matcher range = RANGE.matcher(expr);
        StringBuilder scaled = new StringBuilder();
        while (range.find()) {
            String replacement = "[" + PrometheusDurations.divide(range.group(1), factor);
            if (range.group(2) != null) {
                replacement +=
                        ":"
                                + (range.group(2).isEmpty()
                                        ? ""
                                        : PrometheusDurations.divide(range.group(2), factor));
            }
            range.appendReplacement(scaled, Matcher.quoteReplacement(replacement + "]"));
        }
        range.appendTail(scaled);
        Matcher offset = OFFSET.matcher(scaled.toString());
        StringBuilder result = new StringBuilder();
        while (offset.find()) {
            offset.appendReplacement(
                    result, "offset " + PrometheusDurations.divide(offset.group(1), factor));
        }
        offset.appendTail(result);
        return result.toString();
    }
}
