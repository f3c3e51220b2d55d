package dev.flinkref.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Flink 2.2 session cluster from the assembled distribution: one JobManager process ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManager processes ({@code TaskManagerRunner}),
 * started the way Flink's own scripts start them (memory flags from {@code BashJavaUtils}, the
 * distribution's Java 17 module flags, plugins from {@code plugins/}), everything bound to
 * 127.0.0.1. Checkpoints and savepoints go to S3 (S3Proxy).
 */
final class FlinkSessionCluster {
    /**
     * The official distribution's {@code env.java.opts.all}: Flink reflects into these JDK
     * packages. {@code env.java.opts.*} in config.yaml is read only by Flink's shell scripts, so a
     * launcher must pass them itself.
     */
    static final List<String> JAVA_17_OPTIONS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private final Path flinkHome;
    private final Path workDir;
    private final StackPorts ports;

    FlinkSessionCluster(Path flinkHome, Path workDir, StackPorts ports) {
        this.flinkHome = flinkHome;
        this.workDir = workDir;
        this.ports = ports;
    }

    Path confDir() {
        return workDir.resolve("conf");
    }

    Path logDir() {
        return workDir.resolve("log");
    }

    String restUrl() {
        return "http://127.0.0.1:" + ports.rest();
    }

    /**
     * The cluster's config.yaml: what a FlinkDeployment's flinkConfiguration holds in Kubernetes.
     */
    void writeConfiguration(
            S3ProxyServer s3, int slotsPerTaskManager, Map<String, String> overrides)
            throws IOException {
        Files.createDirectories(confDir());
        Files.createDirectories(logDir());
        String s3Root = "s3://" + S3ProxyServer.BUCKET;
        List<String> lines =
                List.of(
                        "# Written by the local stack (dev.flinkref.localcluster). Loopback only.",
                        "jobmanager.rpc.address: 127.0.0.1",
                        "jobmanager.rpc.port: " + ports.jobManagerRpc(),
                        "jobmanager.bind-host: 127.0.0.1",
                        "taskmanager.bind-host: 127.0.0.1",
                        "taskmanager.host: 127.0.0.1",
                        "rest.address: 127.0.0.1",
                        "rest.bind-address: 127.0.0.1",
                        "rest.port: " + ports.rest(),
                        "blob.server.port: " + ports.blob(),
                        "jobmanager.memory.process.size: 1024m",
                        "taskmanager.memory.process.size: 1280m",
                        "taskmanager.numberOfTaskSlots: " + slotsPerTaskManager,
                        "parallelism.default: 2",
                        "# A killed TaskManager is noticed within seconds, not the default 50 s.",
                        "heartbeat.interval: 1000",
                        "heartbeat.timeout: 5000",
                        "restart-strategy.type: fixed-delay",
                        "restart-strategy.fixed-delay.attempts: 20",
                        "restart-strategy.fixed-delay.delay: 2 s",
                        "state.backend.type: rocksdb",
                        "execution.checkpointing.incremental: true",
                        "execution.checkpointing.interval: 2 s",
                        "execution.checkpointing.externalized-checkpoint-retention:"
                                + " RETAIN_ON_CANCELLATION",
                        "execution.checkpointing.dir: " + s3Root + "/checkpoints",
                        "execution.checkpointing.savepoint-dir: " + s3Root + "/savepoints",
                        "s3.endpoint: " + s3.endpoint(),
                        "s3.path.style.access: true",
                        "s3.access-key: " + S3ProxyServer.IDENTITY,
                        "s3.secret-key: " + s3.credential(),
                        "metrics.reporters: prom",
                        "metrics.reporter.prom.factory.class:"
                                + " org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                        "metrics.reporter.prom.port: "
                                + ports.metricsFirst()
                                + "-"
                                + (ports.metricsFirst() + StackPorts.METRICS_PORTS - 1),
                        "io.tmp.dirs: " + workDir.resolve("tmp"));
        List<String> config = new ArrayList<>();
        for (String line : lines) {
            String key = line.contains(": ") ? line.substring(0, line.indexOf(": ")) : line;
            if (!overrides.containsKey(key)) {
                config.add(line);
            }
        }
        overrides.forEach((key, value) -> config.add(key + ": " + value));
        config.add("");
        Files.writeString(confDir().resolve("config.yaml"), String.join("\n", config));
        Files.writeString(
                confDir().resolve("log4j.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = MainAppender",
                        "appender.main.name = MainAppender",
                        "appender.main.type = File",
                        "appender.main.fileName = ${sys:log.file}",
                        "appender.main.layout.type = PatternLayout",
                        "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN",
                        ""));
    }

    ManagedProcess startJobManager() throws IOException, InterruptedException {
        ManagedProcess process =
                start(
                        "jobmanager",
                        "GET_JM_RESOURCE_PARAMS",
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        try {
            Http.awaitUp("JobManager", restUrl() + "/config", Duration.ofSeconds(120), process);
        } catch (IllegalStateException e) {
            process.stop();
            throw e;
        }
        return process;
    }

    /** The end of the JobManager's log and console output, for a failed start's message. */
    String jobManagerLogTail() {
        StringBuilder tail = new StringBuilder();
        for (String file : List.of("jobmanager.log", "jobmanager.out")) {
            Path path = logDir().resolve(file);
            try {
                String text = Files.exists(path) ? Files.readString(path) : "(none)";
                String end = text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
                tail.append("[").append(file).append("]\n").append(end).append('\n');
            } catch (IOException e) {
                tail.append("[").append(file).append("] unreadable: ").append(e).append('\n');
            }
        }
        return tail.toString();
    }

    ManagedProcess startTaskManager(String name) throws IOException, InterruptedException {
        return start(
                name,
                "GET_TM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    }

    private ManagedProcess start(String name, String resourceCommand, String entryPoint)
            throws IOException, InterruptedException {
        Path tmp = workDir.resolve("tmp").resolve(name);
        Files.createDirectories(tmp);
        List<String> resources = resourceParameters(resourceCommand);
        List<String> command = new ArrayList<>();
        command.add(Java.executable());
        command.addAll(split(resources.get(0)));
        command.addAll(JAVA_17_OPTIONS);
        command.add("-Dlog.file=" + logDir().resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=file:" + confDir().resolve("log4j.properties"));
        // flink-rpc-akka unpacks itself into java.io.tmpdir: one scratch directory per process.
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(List.of("-classpath", classpath(), entryPoint));
        command.addAll(List.of("--configDir", confDir().toString()));
        command.addAll(split(resources.get(1)));
        if (entryPoint.endsWith("TaskManagerRunner")) {
            // A stable id: the REST API then names the process that runs a task.
            command.addAll(List.of("-D", "taskmanager.resource-id=" + name));
        }
        return ManagedProcess.start(
                name,
                command,
                Map.of(
                        "FLINK_PLUGINS_DIR", flinkHome.resolve("plugins").toString(),
                        "FLINK_CONF_DIR", confDir().toString()),
                logDir().resolve(name + ".out"));
    }

    /**
     * JVM memory flags and the dynamic memory settings, computed by Flink itself from config.yaml
     * exactly as bin/jobmanager.sh and bin/taskmanager.sh do; without them a TaskManager refuses to
     * start.
     */
    private List<String> resourceParameters(String command)
            throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(
                                Java.executable(),
                                "-classpath",
                                classpath(),
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                command,
                                "--configDir",
                                confDir().toString())
                        .redirectErrorStream(true)
                        .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("BashJavaUtils " + command + " failed:\n" + output);
        }
        List<String> results =
                output.lines()
                        .filter(line -> line.startsWith(RESULT_PREFIX))
                        .map(line -> line.substring(RESULT_PREFIX.length()).trim())
                        .toList();
        if (results.size() < 2) {
            throw new IllegalStateException("unexpected BashJavaUtils output:\n" + output);
        }
        return results.subList(results.size() - 2, results.size());
    }

    private String classpath() {
        return flinkHome.resolve("lib") + "/*";
    }

    private static List<String> split(String arguments) {
        return arguments.isBlank()
                ? List.of()
                : Arrays.stream(arguments.trim().split("\\s+")).toList();
    }

    static void requireDistribution(Path flinkHome) {
        if (!Files.isDirectory(flinkHome.resolve("lib"))) {
            throw new UncheckedIOException(
                    new IOException(
                            "no Flink distribution in "
                                    + flinkHome
                                    + ": build it with ./mvnw -pl local-cluster -am package"
                                    + " -DskipTests"));
        }
    }
}
