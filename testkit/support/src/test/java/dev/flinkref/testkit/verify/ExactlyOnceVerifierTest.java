package dev.flinkref.testkit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExactlyOnceVerifierTest {
    @Test
    void sameMultisetInAnyOrderIsExact() {
        ExactlyOnceReport<String> report =
                ExactlyOnceVerifier.compare(List.of("a", "b", "b"), List.of("b", "a", "b"));
        assertThat(report.isExact()).isTrue();
        assertThat(report).hasToString("exactly once: all 3 records, no duplicates");
    }

    @Test
    void namesMissingDuplicatedAndUnexpectedRecords() {
        ExactlyOnceReport<String> report =
                ExactlyOnceVerifier.compare(
                        List.of("a", "b", "b", "c"), List.of("a", "a", "b", "d", "d"));

        assertThat(report.missing()).isEqualTo(Map.of("b", 1, "c", 1));
        assertThat(report.duplicates()).isEqualTo(Map.of("a", 1));
        assertThat(report.unexpected()).isEqualTo(Map.of("d", 2));
        assertThat(report.isExact()).isFalse();
    }

    @Test
    void assertionMessageIsPrecise() {
        assertThatThrownBy(
                        () ->
                                ExactlyOnceVerifier.assertExactlyOnce(
                                        List.of("x", "y"), List.of("x", "x")))
                .isInstanceOf(AssertionError.class)
                .hasMessage(
                        "expected 2 records, got 2\n"
                                + "  missing: 1 (1 distinct)\n    1 x y\n"
                                + "  duplicated (surplus copies): 1 (1 distinct)\n    1 x x\n"
                                + "  unexpected: 0 (0 distinct)\n");
    }
}
