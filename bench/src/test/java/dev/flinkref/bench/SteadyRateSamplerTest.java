package dev.flinkref.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SteadyRateSamplerTest {
    @Test
    void theRateIsTakenOverTheMiddleHalfOfTheFlowOnly() {
        List<long[]> points = new ArrayList<>();
        // 2 s of start-up, then 1,000 records/s from the source for 8 s (the sink 10 % behind),
        // then 2 s idle at the end.
        for (long t = 0; t <= 12_000; t += 250) {
            long flowing = Math.max(0, Math.min(t, 10_000) - 2_000);
            points.add(new long[] {t, flowing, flowing * 9 / 10});
        }

        SteadyRateSampler.SteadyRates rates = SteadyRateSampler.rates(points).orElseThrow();

        assertThat(rates.source()).isEqualTo(1_000.0);
        assertThat(rates.sink()).isEqualTo(900.0);
    }

    @Test
    void nothingFlowedNoRate() {
        assertThat(SteadyRateSampler.rates(List.of(new long[] {0, 5, 5}, new long[] {250, 5, 5})))
                .isEmpty();
    }
}
