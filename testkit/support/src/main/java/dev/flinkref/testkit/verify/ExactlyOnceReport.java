package dev.flinkref.testkit.verify;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * How an actual output differs from the expected one, record by record.
 *
 * @param missing expected records that never arrived (with how many copies are missing)
 * @param duplicates records that arrived more often than expected (with the surplus count)
 * @param unexpected records that were not expected at all (with how often they arrived)
 */
public record ExactlyOnceReport<T>(
        int expectedCount,
        int actualCount,
        Map<T, Integer> missing,
        Map<T, Integer> duplicates,
        Map<T, Integer> unexpected) {
    private static final int SHOWN = 20;

    public boolean isExact() {
        return missing.isEmpty() && duplicates.isEmpty() && unexpected.isEmpty();
    }

    @Override
    public String toString() {
        if (isExact()) {
            return "exactly once: all " + expectedCount + " records, no duplicates";
        }
        return "expected "
                + expectedCount
                + " records, got "
                + actualCount
                + "\n"
                + section("missing", missing)
                + section("duplicated (surplus copies)", duplicates)
                + section("unexpected", unexpected);
    }

    private static <T> String section(String title, Map<T, Integer> records) {
        int total = records.values().stream().mapToInt(Integer::intValue).sum();
        String shown =
                records.entrySet().stream()
                        .limit(SHOWN)
                        .map(e -> "    " + e.getValue() + " x " + e.getKey())
                        .collect(Collectors.joining("\n"));
        return "  "
                + title
                + ": "
                + total
                + " ("
                + records.size()
                + " distinct)"
                + (records.isEmpty() ? "" : "\n" + shown)
                + (records.size() > SHOWN ? "\n    ..." : "")
                + "\n";
    }
}
