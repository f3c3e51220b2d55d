package dev.flinkref.testkit.verify;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compares expected and actual output as multisets, so a failure names every lost and every
 * duplicated record instead of saying "not equal".
 */
public final class ExactlyOnceVerifier {
    private ExactlyOnceVerifier() {}

    public static <T> ExactlyOnceReport<T> compare(Collection<T> expected, Collection<T> actual) {
        Map<T, Integer> expectedCounts = counts(expected);
        Map<T, Integer> actualCounts = counts(actual);
        Map<T, Integer> missing = new LinkedHashMap<>();
        Map<T, Integer> duplicates = new LinkedHashMap<>();
        Map<T, Integer> unexpected = new LinkedHashMap<>();
        expectedCounts.forEach(
                (record, want) -> {
                    int got = actualCounts.getOrDefault(record, 0);
                    if (got < want) {
                        missing.put(record, want - got);
                    } else if (got > want) {
                        duplicates.put(record, got - want);
                    }
                });
        actualCounts.forEach(
                (record, got) -> {
                    if (!expectedCounts.containsKey(record)) {
                        unexpected.put(record, got);
                    }
                });
        return new ExactlyOnceReport<>(
                expected.size(), actual.size(), missing, duplicates, unexpected);
    }

    /** Fails with the full report unless {@code actual} is {@code expected}, each exactly once. */
    public static <T> void assertExactlyOnce(Collection<T> expected, Collection<T> actual) {
        ExactlyOnceReport<T> report = compare(expected, actual);
        if (!report.isExact()) {
            throw new AssertionError(report.toString());
        }
    }

    private static <T> Map<T, Integer> counts(Collection<T> records) {
        Map<T, Integer> counts = new LinkedHashMap<>();
        records.forEach(record -> counts.merge(record, 1, Integer::sum));
        return counts;
    }
}
