package dev.flinkref.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and spread of repeated figures; percentiles of latencies. */
final class Stats {
    private Stats() {}

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1
                ? sorted.get(middle)
                : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** (max - min) / median, in percent: how far apart the repeats were. */
    static double spreadPercent(List<Double> values) {
        if (values.size() < 2) {
            return 0;
        }
        return (Collections.max(values) - Collections.min(values)) / median(values) * 100;
    }

    /** "123,456 (±4 %)": the median and the spread of repeats. */
    static String medianWithSpread(List<Double> values) {
        return String.format("%,.0f (±%.0f %%)", median(values), spreadPercent(values) / 2);
    }
}
