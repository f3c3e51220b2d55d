package dev.flinkref.statemachine.generator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Expected alerts against committed ones, as multisets of lines: what is missing, what the job
 * raised without it being expected, and what it raised more often than expected (a duplicate is an
 * exactly-once violation, not just noise).
 */
record AlertsDiff(
        int expected,
        int committed,
        List<String> missing,
        List<String> unexpected,
        List<String> duplicated) {

    static AlertsDiff of(List<String> expected, List<String> committed) {
        Map<String, Integer> remaining = new HashMap<>();
        expected.forEach(line -> remaining.merge(line, 1, Integer::sum));
        Map<String, Integer> expectedCounts = new HashMap<>(remaining);
        List<String> unexpected = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (String line : committed) {
            Integer left = remaining.get(line);
            if (left != null && left > 0) {
                remaining.put(line, left - 1);
            } else if (expectedCounts.containsKey(line)) {
                duplicated.add(line);
            } else {
                unexpected.add(line);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String line : expected) {
            int left = remaining.getOrDefault(line, 0);
            if (left > 0) {
                missing.add(line);
                remaining.put(line, left - 1);
            }
        }
        return new AlertsDiff(expected.size(), committed.size(), missing, unexpected, duplicated);
    }

    boolean exact() {
        return missing.isEmpty() && unexpected.isEmpty() && duplicated.isEmpty();
    }

    /** One line for a person, with up to {@code samples} examples of each problem. */
    String describe(int samples) {
        if (exact()) {
            return "exact: " + committed + " committed alerts, all " + expected + " expected";
        }
        StringBuilder text =
                new StringBuilder("NOT exact: ")
                        .append(committed)
                        .append(" committed, ")
                        .append(expected)
                        .append(" expected");
        append(text, "missing", missing, samples);
        append(text, "unexpected", unexpected, samples);
        append(text, "duplicated", duplicated, samples);
        return text.toString();
    }

    private static void append(StringBuilder text, String what, List<String> lines, int samples) {
        if (lines.isEmpty()) {
            return;
        }
        text.append("; ").append(lines.size()).append(' ').append(what).append(", e.g. ");
        text.append(String.join(" ", lines.subList(0, Math.min(samples, lines.size()))));
    }
}
