package dev.flinkref.statemachine.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlertsDiffTest {
    @Test
    void sameLinesInAnyOrderAreExact() {
        AlertsDiff diff = AlertsDiff.of(List.of("a", "b", "b"), List.of("b", "a", "b"));

        assertThat(diff.exact()).isTrue();
        assertThat(diff.describe(3)).isEqualTo("exact: 3 committed alerts, all 3 expected");
    }

    @Test
    void missingUnexpectedAndDuplicatedAreTold() {
        AlertsDiff diff =
                AlertsDiff.of(List.of("a", "b", "c", "c"), List.of("a", "a", "c", "x", "y"));

        assertThat(diff.missing()).containsExactly("b", "c");
        assertThat(diff.unexpected()).containsExactly("x", "y");
        assertThat(diff.duplicated()).containsExactly("a");
        assertThat(diff.exact()).isFalse();
        assertThat(diff.describe(1))
                .isEqualTo(
                        "NOT exact: 5 committed, 4 expected; 2 missing, e.g. b; 2 unexpected,"
                                + " e.g. x; 1 duplicated, e.g. a");
    }

    @Test
    void nothingExpectedNothingCommitted() {
        assertThat(AlertsDiff.of(List.of(), List.of()).exact()).isTrue();
    }
}
