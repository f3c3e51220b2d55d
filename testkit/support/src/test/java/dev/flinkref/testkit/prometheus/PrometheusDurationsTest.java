package dev.flinkref.testkit.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusDurationsTest {
    @Test
    void durationsAreReadAndWrittenAsPrometheusDoes() {
        assertThat(PrometheusDurations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(PrometheusDurations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(PrometheusDurations.divide("15s", 30)).isEqualTo("500ms");
        assertThat(PrometheusDurations.divide("10m", 30)).isEqualTo("20s");
        assertThatThrownBy(() -> PrometheusDurations.parse("5 m"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
