package dev.flinkref.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a tool (shellcheck, a script) to its end, output and errors together. */
final class Commands {
    private Commands() {}

    record Result(int exitCode, String output) {}

    static Result run(Path directory, List<String> command)
            throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command)
                        .directory(directory.toFile())
                        .redirectErrorStream(true)
                        .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 120 s");
        }
        return new Result(process.exitValue(), output);
    }

    static boolean available(String tool) {
        try {
            return run(RepoPaths.root(), List.of(tool, "--version")).exitCode() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
