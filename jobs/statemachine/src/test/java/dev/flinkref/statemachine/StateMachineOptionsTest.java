package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkref.common.options.HelpRequested;
import dev.flinkref.common.options.UsageException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StateMachineOptionsTest {
    @Test
    void defaults() {
        StateMachineOptions options = StateMachineOptions.parse("--bootstrap-servers", "k:9092");
        assertThat(options.inputFormat()).isEqualTo(InputFormat.JSON);
        assertThat(options.stateTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(options.kafka().inputTopic()).isEqualTo("statemachine-input");
        assertThat(options.kafka().outputTopic()).isEqualTo("statemachine-output");
        assertThat(options.kafka().dlqTopic()).isEqualTo("statemachine-dlq");
        assertThat(options.machineCache()).isEqualTo(100_000);
        assertThat(options.implementation()).isEqualTo(Implementation.OPTIMIZED);
    }

    @Test
    void jobOptions() {
        StateMachineOptions options =
                StateMachineOptions.parse(
                        "--bootstrap-servers",
                        "k:9092",
                        "--input-format",
                        "binary",
                        "--state-ttl",
                        "90s",
                        "--implementation",
                        "reference");
        assertThat(options.inputFormat()).isEqualTo(InputFormat.BINARY);
        assertThat(options.stateTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.implementation()).isEqualTo(Implementation.REFERENCE);
    }

    @Test
    void badArguments() {
        assertThatThrownBy(
                        () ->
                                StateMachineOptions.parse(
                                        "--bootstrap-servers", "k", "--input-format", "xml"))
                .isInstanceOf(UsageException.class)
                .hasMessage(
                        "statemachine: invalid value 'xml' for --input-format: expected one of json|binary");
        assertThatThrownBy(
                        () ->
                                StateMachineOptions.parse(
                                        "--bootstrap-servers", "k", "--state-ttl", "0"))
                .isInstanceOf(UsageException.class)
                .hasMessage("statemachine: --state-ttl must be positive");
        assertThatThrownBy(
                        () ->
                                StateMachineOptions.parse(
                                        "--bootstrap-servers", "k", "--implementation", "fast"))
                .isInstanceOf(UsageException.class)
                .hasMessage(
                        "statemachine: invalid value 'fast' for --implementation: expected one of"
                                + " optimized|reference");
        assertThatThrownBy(
                        () -> StateMachineOptions.parse("--bootstrap-servers", "k", "--ttl", "1h"))
                .isInstanceOf(UsageException.class)
                .hasMessage("statemachine: unknown option --ttl (see --help)");
    }

    @Test
    void helpListsTheJobsOwnOptionsWithTheirDefaults() {
        assertThatThrownBy(() -> StateMachineOptions.parse("--help"))
                .isInstanceOf(HelpRequested.class)
                .hasMessageContaining("--input-format json|binary")
                .hasMessageContaining("Default: json.")
                .hasMessageContaining("--state-ttl DURATION")
                .hasMessageContaining("Default: 1 h.")
                .hasMessageContaining("--implementation optimized|reference")
                .hasMessageContaining("Default: optimized.");
    }

    @Test
    void deploymentChecksParseTheSameWay() {
        String[] args = {"--bootstrap-servers", "k:9092", "--input-format", "binary"};
        assertThat(StateMachineJob.parseOptions(args).inputFormat()).isEqualTo(InputFormat.BINARY);
        // Throws instead of exiting: a deployment check calls it in its own JVM.
        assertThatThrownBy(
                        () ->
                                StateMachineJob.parseOptions(
                                        "--bootstrap-servers", "k", "--state-ttl", "soon"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("statemachine: invalid value 'soon' for --state-ttl");
    }
}
