package dev.flinkref.statemachine.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkref.common.options.HelpRequested;
import dev.flinkref.common.options.UsageException;
import dev.flinkref.statemachine.InputFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EventGeneratorOptionsTest {
    @Test
    void defaults() {
        EventGenerator.Settings settings =
                EventGenerator.parse("--bootstrap-servers", "127.0.0.1:9092");

        assertThat(settings.topic()).isEqualTo("statemachine-input");
        assertThat(settings.addresses()).isEqualTo(1000);
        assertThat(settings.rate()).isEqualTo(1000);
        assertThat(settings.count()).isEqualTo(100_000);
        assertThat(settings.duration()).isNull();
        assertThat(settings.invalidRatio()).isEqualTo(0.001);
        assertThat(settings.format()).isEqualTo(InputFormat.JSON);
        assertThat(settings.expectedAlerts()).isNull();
        assertThat(settings.partitions()).isNull();
    }

    @Test
    void everyOption() {
        EventGenerator.Settings settings =
                EventGenerator.parse(
                        "--bootstrap-servers=k:9092",
                        "--topic",
                        "events",
                        "--addresses",
                        "50",
                        "--rate",
                        "0",
                        "--duration",
                        "1min",
                        "--invalid-ratio",
                        "0.25",
                        "--seed",
                        "-7",
                        "--format",
                        "binary",
                        "--expected-alerts",
                        "/tmp/alerts.jsonl",
                        "--partitions",
                        "4");

        assertThat(settings)
                .isEqualTo(
                        new EventGenerator.Settings(
                                "k:9092",
                                "events",
                                50,
                                0,
                                Long.MAX_VALUE,
                                Duration.ofMinutes(1),
                                0.25,
                                -7,
                                InputFormat.BINARY,
                                Path.of("/tmp/alerts.jsonl"),
                                4,
                                new Properties()));
    }

    @Test
    void sameSeedOptionSameSettings() {
        assertThat(EventGenerator.parse("--bootstrap-servers", "k", "--count", "5", "--seed", "3"))
                .isEqualTo(
                        EventGenerator.parse(
                                "--bootstrap-servers", "k", "--count", "5", "--seed", "3"));
    }

    @Test
    void badArguments() {
        assertUsage(
                "generate-events: give --count or --duration, not both",
                "--count",
                "10",
                "--duration",
                "5s");
        assertUsage(
                "generate-events: invalid value '1.5' for --invalid-ratio: must be within 0 and 1",
                "--invalid-ratio",
                "1.5");
        assertUsage(
                "generate-events: invalid value 'lots' for --invalid-ratio: not a number",
                "--invalid-ratio",
                "lots");
        assertUsage(
                "generate-events: invalid value '-1' for --rate: must not be negative",
                "--rate",
                "-1");
        assertUsage(
                "generate-events: invalid value '0' for --count: must be positive", "--count", "0");
        assertUsage(
                "generate-events: invalid value 'x' for --seed: not a whole number", "--seed", "x");
        assertUsage(
                "generate-events: invalid value 'avro' for --format: expected one of json|binary",
                "--format",
                "avro");
        assertUsage(
                "generate-events: invalid value '0' for --addresses: must be positive",
                "--addresses",
                "0");
        assertThatThrownBy(() -> EventGenerator.parse("--help"))
                .isInstanceOf(HelpRequested.class)
                .hasMessageContaining("--expected-alerts FILE");
    }

    private static void assertUsage(String message, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-servers";
        all[1] = "k:9092";
        System.arraycopy(args, 0, all, 2, args.length);
        assertThatThrownBy(() -> EventGenerator.parse(all))
                .isInstanceOf(UsageException.class)
                .hasMessage(message);
    }
}
