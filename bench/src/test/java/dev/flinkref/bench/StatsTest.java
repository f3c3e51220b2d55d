package dev.flinkref.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }

    @Test
    void nearestRankPercentiles() {
        List<Double> hundred = new java.util.ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            hundred.add((double) i);
        }
        assertThat(Stats.percentile(hundred, 50)).isEqualTo(50.0);
        assertThat(Stats.percentile(hundred, 99)).isEqualTo(99.0);
        assertThat(Stats.percentile(List.of(7.0), 99)).isEqualTo(7.0);
    }

    @Test
    void spreadIsRangeOverMedian() {
        assertThat(Stats.spreadPercent(List.of(90.0, 100.0, 110.0))).isEqualTo(20.0);
        assertThat(Stats.medianWithSpread(List.of(90.0, 100.0, 110.0))).isEqualTo("100 (±10 %)");
    }
}
