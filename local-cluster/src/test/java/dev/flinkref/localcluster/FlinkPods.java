package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * The pods the operator would run for one FlinkDeployment, as {@code docker run} containers of the
 * job's image: a JobManager in application mode (or session mode, for a session cluster) and
 * TaskManagers, host network, each after the pod's init containers, with the manifest's security
 * context, memory limits, emptyDirs (fresh host directories) and volume claims, and conf/ mounted
 * read-only as the operator mounts its ConfigMap. The configuration is the manifest's
 * flinkConfiguration plus only what Kubernetes and the operator would provide: addresses and ports
 * (loopback, free), process sizes from the pod resources, parallelism and {@code pipeline.jars}
 * from the job, HA off (Kubernetes HA needs the Kubernetes API), and the S3 endpoint of the local
 * S3 server in place of AWS.
 */
final class FlinkPods implements AutoCloseable {
    private final DockerEngine engine;
    private final ProdDeployment deployment;
    private final Path confDir;
    private final Path logDir;
    private final Path volumesDir;
    private final Map<String, String> env;
    private final int restPort = FreePorts.next();
    private final Map<String, Integer> metricsPorts = new LinkedHashMap<>();
    private final List<String> containers = new ArrayList<>();
    private int started;

    /**
     * @param env the values of the manifest's environment variables (from its ConfigMap and Secret
     *     in Kubernetes); every variable the manifest names must be given
     */
    FlinkPods(
            DockerEngine engine,
            ProdDeployment deployment,
            Path workDir,
            String s3Endpoint,
            Map<String, String> env)
            throws IOException {
        this.engine = engine;
        this.deployment = deployment;
        this.env = env;
        this.confDir = workDir.resolve("conf");
        this.logDir = workDir.resolve("logs");
        this.volumesDir = workDir.resolve("volumes");
        for (String name : deployment.envNames()) {
            if (!env.containsKey(name)) {
                throw new IllegalArgumentException(
                        deployment.name() + " reads " + name + ", which the test does not set");
            }
        }
        Files.createDirectories(logDir);
        writeConfiguration(s3Endpoint);
    }

    private void writeConfiguration(String s3Endpoint) throws IOException {
        Map<String, String> config = new LinkedHashMap<>(deployment.flinkConfiguration());
        config.put("high-availability.type", "NONE");
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.rpc.port", String.valueOf(FreePorts.next()));
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.host", "127.0.0.1");
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", String.valueOf(restPort));
        config.put("blob.server.port", String.valueOf(FreePorts.next()));
        config.put("jobmanager.memory.process.size", deployment.jobManagerMemory());
        config.put("taskmanager.memory.process.size", deployment.taskManagerMemory());
        // A session cluster has no job: its jobs come over REST, each with its own parallelism.
        if (!deployment.jarUri().isBlank()) {
            config.put("parallelism.default", String.valueOf(deployment.parallelism()));
            config.put("pipeline.jars", deployment.jarUri());
        }
        config.put("s3.endpoint", s3Endpoint);
        config.put("s3.path.style.access", "true");
        Files.createDirectories(confDir);
        ObjectMapper yaml =
                new ObjectMapper(
                        new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        Files.writeString(confDir.resolve("config.yaml"), yaml.writeValueAsString(config));
        // As the operator's default: to the console (kubectl logs) and to a file in log/.
        Files.writeString(
                confDir.resolve("log4j-console.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.console.ref = ConsoleAppender",
                        "rootLogger.appenderRef.rolling.ref = RollingFileAppender",
                        "appender.console.name = ConsoleAppender",
                        "appender.console.type = CONSOLE",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                        "appender.rolling.name = RollingFileAppender",
                        "appender.rolling.type = RollingFile",
                        "appender.rolling.fileName = ${sys:log.file}",
                        "appender.rolling.filePattern = ${sys:log.file}.%i",
                        "appender.rolling.layout.type = PatternLayout",
                        "appender.rolling.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                        "appender.rolling.policies.type = Policies",
                        "appender.rolling.policies.size.type = SizeBasedTriggeringPolicy",
                        "appender.rolling.policies.size.size = 100MB",
                        "appender.rolling.strategy.type = DefaultRolloverStrategy",
                        "appender.rolling.strategy.max = 3",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN",
                        ""));
    }

    /** The JobManager pod: {@code standalone-job} with the manifest's entry class and args. */
    String startJobManager(String image, List<String> options) {
        List<String> command = new ArrayList<>(List.of("standalone-job"));
        command.addAll(List.of("--job-classname", deployment.entryClass()));
        command.addAll(options);
        command.addAll(deployment.args());
        String name = deployment.name() + "-jobmanager-" + ++started;
        return run(name, image, deployment.jobManagerMemory(), Map.of(), command);
    }

    /** The JobManager pod of a session cluster: {@code jobmanager}, no job of its own. */
    String startSessionJobManager(String image) {
        String name = deployment.name() + "-jobmanager-" + ++started;
        return run(name, image, deployment.jobManagerMemory(), Map.of(), List.of("jobmanager"));
    }

    /** A TaskManager pod; its name is also its {@code taskmanager.resource-id}. */
    String startTaskManager(String image) {
        String name = deployment.name() + "-taskmanager-" + ++started;
        return run(
                name,
                image,
                deployment.taskManagerMemory(),
                Map.of("taskmanager.resource-id", name),
                List.of("taskmanager"));
    }

    private String run(
            String name,
            String image,
            String memory,
            Map<String, String> properties,
            List<String> command) {
        int metricsPort = FreePorts.next();
        // Each pod has its own IP in Kubernetes, so all serve 9249; on one host each needs a port.
        StringBuilder flinkProperties =
                new StringBuilder("metrics.reporter.prom.port: " + metricsPort + "\n");
        properties.forEach((k, v) -> flinkProperties.append(k).append(": ").append(v).append('\n'));
        // The pod's init containers first, each to completion, on the pod's own volumes.
        for (ProdDeployment.InitContainer init : deployment.initContainers()) {
            List<String> initArgs =
                    new ArrayList<>(
                            List.of(
                                    "run",
                                    "--rm",
                                    "--name",
                                    name + "-" + init.name(),
                                    "--network"));
            initArgs.add("none");
            initArgs.addAll(init.flags());
            init.mounts()
                    .forEach(
                            (volume, path) ->
                                    initArgs.addAll(
                                            List.of("-v", emptyDir(name, volume) + ":" + path)));
            initArgs.addAll(List.of("--entrypoint", init.command().get(0), image));
            initArgs.addAll(init.command().subList(1, init.command().size()));
            engine.docker(Duration.ofMinutes(2), initArgs.toArray(String[]::new));
        }
        List<String> args =
                new ArrayList<>(
                        List.of("run", "-d", "--name", name, "--network", "host", "--memory"));
        args.add(memory);
        args.addAll(List.of("--memory-swap", memory));
        args.addAll(deployment.securityFlags());
        for (Map.Entry<String, String> emptyDir : deployment.emptyDirs().entrySet()) {
            String mode = deployment.readOnlyVolumes().contains(emptyDir.getKey()) ? ":ro" : "";
            args.addAll(
                    List.of(
                            "-v",
                            emptyDir(name, emptyDir.getKey()) + ":" + emptyDir.getValue() + mode));
        }
        // A volume claim is one volume for every pod that mounts it.
        for (Map.Entry<String, String> claim : deployment.volumeClaims().entrySet()) {
            args.addAll(List.of("-v", emptyDir("claims", claim.getKey()) + ":" + claim.getValue()));
        }
        args.addAll(List.of("-v", confDir + ":/opt/flink/conf:ro"));
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.addAll(List.of("-e", "FLINK_PROPERTIES=" + flinkProperties));
        args.add(image);
        args.addAll(command);
        engine.docker(Duration.ofMinutes(2), args.toArray(String[]::new));
        containers.add(name);
        metricsPorts.put(name, metricsPort);
        return name;
    }

    /**
     * A pod's emptyDir as Kubernetes makes it: a fresh directory on the node, mode 0777. (Docker's
     * --tmpfs is no stand-in: over a directory the image has, it takes that directory's mode with
     * root as owner, so the non-root user cannot write /opt/flink/log; and it is noexec by default,
     * which RocksDB's native library in /tmp cannot load from.)
     */
    private String emptyDir(String container, String volume) {
        Path dir = volumesDir.resolve(container).resolve(volume);
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.toString();
    }

    /** The host directory behind a container's emptyDir volume. */
    Path emptyDirOf(String container, String volume) {
        return volumesDir.resolve(container).resolve(volume);
    }

    /**
     * Lines of every container's output where the process met a filesystem it may not write: the
     * read-only root, a read-only conf/, an emptyDir the user cannot write.
     */
    List<String> filesystemErrors() {
        List<String> errors = new ArrayList<>();
        for (String container : containers) {
            for (String line : logs(container).split("\n")) {
                if (line.contains("Permission denied") || line.contains("Read-only file system")) {
                    errors.add(container + ": " + line);
                }
            }
        }
        return errors;
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    FlinkRestClient rest() {
        return new FlinkRestClient(restUrl());
    }

    /** The host:port a Prometheus scrapes a container's reporter on. */
    String metricsTarget(String container) {
        return "127.0.0.1:" + metricsPorts.get(container);
    }

    /** The Prometheus endpoint of a container. */
    String metricsUrl(String container) {
        return "http://127.0.0.1:" + metricsPorts.get(container) + "/metrics";
    }

    /** {@code docker kill}: SIGKILL, as a node failure or an OOM kill ends a pod. */
    void kill(String container) {
        engine.docker(Duration.ofMinutes(1), "kill", container);
    }

    /** Whether the container runs; its exit code once it has stopped. */
    String state(String container) {
        return engine.docker(
                        Duration.ofSeconds(30),
                        "inspect",
                        "--format",
                        "{{.State.Status}} {{.State.ExitCode}}",
                        container)
                .trim();
    }

    /** Waits until {@code container} has exited; returns its exit code. */
    int awaitExit(String container, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String[] state = state(container).split(" ");
            if (state[0].equals("exited") || state[0].equals("dead")) {
                return Integer.parseInt(state[1]);
            }
            Thread.sleep(500);
        }
        throw new AssertionError(container + " still " + state(container) + " after " + timeout);
    }

    String logs(String container) {
        return engine.tryDocker(Duration.ofMinutes(1), "logs", container).output();
    }

    /** Every container's log into the logs folder, then the containers removed. */
    @Override
    public void close() throws IOException {
        for (String container : containers) {
            Files.writeString(logDir.resolve(container + ".log"), logs(container));
            engine.tryDocker(Duration.ofMinutes(1), "rm", "-f", container);
        }
        containers.clear();
    }
}
