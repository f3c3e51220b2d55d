package dev.flinkref.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child process of the stack, output to a log file, stoppable by PID even from another JVM. */
final class ManagedProcess {
    private final String name;
    private final Process process;

    private ManagedProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static ManagedProcess start(
            String name, List<String> command, Map<String, String> environment, Path log) {
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new ManagedProcess(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crashed machine or an OOM-killed container would end. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * SIGSTOP: the process holds its sockets but answers nothing, as a frozen machine would, until
     * killed (SIGKILL ends a stopped process too).
     */
    void pause() throws IOException, InterruptedException {
        Process stop = new ProcessBuilder("kill", "-STOP", String.valueOf(pid())).start();
        if (stop.waitFor() != 0) {
            throw new IllegalStateException("kill -STOP " + pid() + " failed");
        }
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    void stop() {
        stop(process.toHandle());
    }

    static void stop(ProcessHandle handle) {
        handle.destroy();
        try {
            handle.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }
}
