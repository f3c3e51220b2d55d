package dev.flinkref.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCliTest {
    @Test
    void optionsBecomeTheRunsKnobs() {
        BenchMain bench = new BenchMain();
        new CommandLine(bench)
                .parseArgs(
                        "--sm-variants",
                        "binary,example",
                        "--sm-repeats",
                        "5",
                        "--wc-base-jar",
                        "/tmp/wc.jar",
                        "--job-jvm-opts",
                        " -Xmx1g  -XX:+UseG1GC ",
                        "--flink-conf",
                        "a: 1; b: 2",
                        "statemachine");

        assertThat(bench.knobs())
                .isEqualTo(
                        new BenchKnobs(
                                List.of("-Xmx1g", "-XX:+UseG1GC"),
                                List.of("binary", "example"),
                                Optional.of(5),
                                Optional.empty(),
                                List.of(),
                                Optional.empty(),
                                Optional.of(Path.of("/tmp/wc.jar")),
                                List.of("a: 1", "b: 2")));
        assertThat(bench.knobs().jobJvmOptions(Path.of("/run")))
                .containsExactly("-Xmx1g", "-XX:+UseG1GC");
    }

    @Test
    void anUnknownSuiteOrABadValueIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchMain()).setErr(new PrintWriter(err));

        assertThat(cli.execute("wordcont")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown suite 'wordcont'");
        assertThat(cli.execute("--sm-repeats", "0", "statemachine")).isEqualTo(2);
        assertThat(cli.execute("--sm-repeats", "x", "statemachine")).isEqualTo(2);
        assertThat(cli.execute()).as("no suite").isEqualTo(2);
    }
}
