package dev.flinkref.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command to its end: output (stdout and stderr) kept in a file, appended to a log, and
 * returned; a command past its timeout is killed. For the docker, debootstrap and kubectl calls.
 */
final class Shell {
    private Shell() {}

    record Result(int exitCode, String output) {}

    /**
     * Runs {@code command}; a non-zero exit is an {@link IllegalStateException} with the output.
     */
    static String check(List<String> command, Map<String, String> env, Duration timeout, Path log) {
        Result result = run(command, env, timeout, log);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command)
                            + " exited with "
                            + result.exitCode()
                            + ":\n"
                            + tail(result.output(), 4_000));
        }
        return result.output();
    }

    static Result run(List<String> command, Map<String, String> env, Duration timeout, Path log) {
        try {
            Path output = Files.createTempFile("shell-", ".out");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command)
                                .redirectErrorStream(true)
                                .redirectOutput(output.toFile())
                                .redirectInput(ProcessBuilder.Redirect.from(devNull()));
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new IllegalStateException(
                            String.join(" ", command)
                                    + " did not finish within "
                                    + timeout
                                    + ":\n"
                                    + tail(Files.readString(output), 4_000));
                }
                String text = Files.readString(output, StandardCharsets.UTF_8);
                if (log != null) {
                    Files.createDirectories(log.getParent());
                    Files.writeString(
                            log,
                            "$ " + String.join(" ", command) + "\n" + text,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                return new Result(process.exitValue(), text);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    /** Whether {@code program} is an executable on the PATH. */
    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static String tail(String text, int chars) {
        return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
    }

    private static java.io.File devNull() {
        return new java.io.File("/dev/null");
    }
}
