package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkref.common.options.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WordCountOptionsTest {
    @Test
    void defaults() {
        WordCountOptions options = WordCountOptions.parse("--bootstrap-servers", "k:9092");

        assertThat(options.windowSize()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.idleness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.allowedLateness()).isZero();
        assertThat(options.lateTopic()).isEmpty();
        assertThat(options.kafka().inputTopic()).isEqualTo("wordcount-input");
        assertThat(options.kafka().transactionalIdPrefix()).isEqualTo("wordcount");
    }

    @Test
    void jobOptions() {
        WordCountOptions options =
                WordCountOptions.parse(
                        "--bootstrap-servers", "k:9092",
                        "--window-size", "1 min",
                        "--max-out-of-orderness", "250ms",
                        "--idleness", "0",
                        "--allowed-lateness", "2s",
                        "--late-topic", "late");

        assertThat(options.windowSize()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.maxOutOfOrderness()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.idleness()).isZero();
        assertThat(options.allowedLateness()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.lateTopic()).isEqualTo(Optional.of("late"));
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThatThrownBy(
                        () ->
                                WordCountOptions.parse(
                                        "--bootstrap-servers", "k", "--window-size", "0s"))
                .isInstanceOf(UsageException.class)
                .hasMessage("wordcount: --window-size must be positive");
        assertThatThrownBy(
                        () ->
                                WordCountOptions.parse(
                                        "--bootstrap-servers", "k", "--idleness", "-1s"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("wordcount: invalid value '-1s' for --idleness: ");
    }

    @Test
    void mainExitsWithCode2AndOneLineOnBadArguments() throws Exception {
        Result result = runMain("--bootstrap-servers", "k:9092", "--bogus");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.stderr).isEqualTo("wordcount: unknown option --bogus (see --help)\n");
        assertThat(result.stdout).isEmpty();
    }

    @Test
    void mainPrintsHelpAndExitsZero() throws Exception {
        Result result = runMain("--help");

        assertThat(result.exitCode).isZero();
        assertThat(result.stdout)
                .startsWith("Usage: wordcount [options]")
                .contains("--window-size DURATION")
                .contains("--late-topic TOPIC");
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    /** The real main in a fresh JVM, as `java -jar` would run it. */
    private static Result runMain(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WordCountJob.class.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("main did not exit within 60 s");
        }
        return new Result(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
