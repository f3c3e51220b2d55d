package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AlertJsonTest {
    @Test
    void encodesTheDocumentedFormat() {
        Alert alert = new Alert(0x0A000001, State.W, EventType.C, 1_700_000_000_000L);

        assertThat(AlertJson.encode(alert))
                .isEqualTo(
                        "{\"address\":\"10.0.0.1\",\"state\":\"W\",\"event\":\"c\",\"ts\":1700000000000}");
        assertThat(new String(AlertJson.key(alert), StandardCharsets.UTF_8)).isEqualTo("10.0.0.1");
        assertThat(AlertJson.encode(new Alert(1, State.INITIAL, EventType.G, 0)))
                .isEqualTo(
                        "{\"address\":\"0.0.0.1\",\"state\":\"Initial\",\"event\":\"g\",\"ts\":0}");
    }
}
