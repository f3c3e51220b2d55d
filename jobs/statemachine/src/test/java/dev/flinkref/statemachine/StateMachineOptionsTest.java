package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                        "90s");
        assertThat(options.inputFormat()).isEqualTo(InputFormat.BINARY);
        assertThat(options.stateTtl()).isEqualTo(Duration.ofSeconds(90));
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
                        () -> StateMachineOptions.parse("--bootstrap-servers", "k", "--ttl", "1h"))
                .isInstanceOf(UsageException.class)
                .hasMessage("statemachine: unknown option --ttl (see --help)");
    }
}
