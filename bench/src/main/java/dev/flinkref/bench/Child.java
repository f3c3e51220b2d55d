package dev.flinkref.bench;

import dev.flinkref.localcluster.Java;
import dev.flinkref.localcluster.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A measured process: one JVM running a job's real {@code main}, with its output in a log file. CPU
 * is sampled from /proc while it runs, so the figure is the job's alone.
 */
final class Child implements AutoCloseable {
    /** Heap of every measured JVM, Flink's and Kafka Streams' alike. */
    static final String HEAP = "-Xmx2g";

    private final String name;
    private final Process process;
    private final Path log;
    private double lastCpu;

    private Child(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * A Flink job as the official image runs it, here in an embedded MiniCluster: the
     * distribution's lib/ plus the job's shaded jar, configured by {@code confDir/config.yaml}.
     */
    static Child flinkJob(
            String name,
            List<Path> jars,
            String mainClass,
            List<String> args,
            Path confDir,
            Path log) {
        List<String> command = new ArrayList<>(List.of(Java.executable(), HEAP));
        command.addAll(LocalStack.flinkJvmOptions());
        command.add("-Dlog4j.configurationFile=file:" + confDir.resolve("log4j2.properties"));
        command.add("-Djava.io.tmpdir=" + confDir.resolve("tmp"));
        command.addAll(extraJvmOptions(confDir));
        StringBuilder classpath = new StringBuilder(LocalStack.flinkHome().resolve("lib") + "/*");
        jars.forEach(jar -> classpath.append(':').append(jar));
        command.addAll(List.of("-cp", classpath.toString(), mainClass));
        command.addAll(args);
        return start(name, command, Map.of("FLINK_CONF_DIR", confDir.toString()), log);
    }

    /**
     * {@code --job-jvm-opts} ({@code $BENCH_JOB_JVM_OPTS}), for profiling a measured job, e.g.
     * {@code -XX:StartFlightRecording=filename={dir}/job.jfr,settings=profile}; {@code {dir}} is
     * the run's own directory under .local/bench/runs/.
     */
    static List<String> extraJvmOptions(Path runDir) {
        return BenchKnobs.current().jobJvmOptions(runDir);
    }

    /** Any main class of the harness's own classpath (Kafka Streams, Kafka's perf tools). */
    static Child harnessClass(String name, String mainClass, List<String> args, Path log) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Java.executable(),
                                HEAP,
                                "-cp",
                                System.getProperty("java.class.path"),
                                mainClass));
        command.addAll(args);
        return start(name, command, Map.of(), log);
    }

    private static Child start(
            String name, List<String> command, Map<String, String> env, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(env);
            return new Child(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** CPU seconds so far; after exit, the last value sampled while it ran. */
    double cpuSeconds() {
        double cpu = Proc.cpuSeconds(process.pid());
        if (!Double.isNaN(cpu)) {
            lastCpu = cpu;
        }
        return lastCpu;
    }

    /**
     * Waits for exit, sampling CPU meanwhile; fails with the log's tail if it does not end well.
     */
    double awaitExit(long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        double cpu = cpuSeconds();
        while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
            cpu = cpuSeconds();
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(
                        name + " did not finish in " + timeoutSeconds + " s" + tail());
            }
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + tail());
        }
        return cpu;
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n--- "
                    + log
                    + " (tail) ---\n"
                    + String.join(
                            "\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
