package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.util.FileUtils;

/**
 * {@code scripts/local-cluster}: start, inspect and stop the local stack, and submit, savepoint,
 * stop-with-savepoint and restore jobs on it the way the operator does in Kubernetes.
 *
 * <p>{@code start} launches a detached supervisor JVM that owns every process of the stack (and
 * stops them all when it is terminated); later commands find it through the state file.
 */
public final class LocalClusterCli {
    private static final String USAGE =
            String.join(
                    "\n",
                    "Usage: scripts/local-cluster <command> [options]",
                    "",
                    "Commands:",
                    "  start [--taskmanagers N]       Kafka + S3 (S3Proxy) + Flink (1 JobManager, N TaskManagers; default 2)",
                    "  status                         processes, URLs, running jobs",
                    "  stop                           stop everything the stack started",
                    "  submit <job|jar> [--entry-class C] [--parallelism P] [--from-savepoint PATH] [-- job args]",
                    "  savepoint <job-id>             trigger a savepoint, print its path",
                    "  stop-with-savepoint <job-id>   stop the job with a savepoint, print its path",
                    "  restore <job|jar> <savepoint> [--parallelism P] [-- job args]",
                    "",
                    "Options: --work-dir DIR (default .local/cluster). <job> is wordcount or statemachine",
                    "(its shaded jar). Jobs get --bootstrap-servers of the stack's Kafka unless given;",
                    "job args may use the placeholder {bootstrap} for it.");

    private static final String SAVEPOINTS = "s3://" + S3ProxyServer.BUCKET + "/savepoints";

    private LocalClusterCli() {}

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        Path workDir =
                Path.of(option(rest, "--work-dir").orElse(".local/cluster")).toAbsolutePath();
        if (rest.isEmpty()
                || rest.contains("--help") && !rest.contains("--")
                || rest.get(0).equals("-h")) {
            System.out.println(USAGE);
            return;
        }
        String command = rest.remove(0);
        try {
            switch (command) {
                case "start" ->
                        start(
                                workDir,
                                Integer.parseInt(option(rest, "--taskmanagers").orElse("2")));
                case "supervise" ->
                        supervise(
                                workDir,
                                Integer.parseInt(option(rest, "--taskmanagers").orElse("2")));
                case "status" -> status(workDir);
                case "stop" -> stop(workDir);
                case "submit" -> submit(workDir, rest, Optional.empty());
                case "restore" -> {
                    if (rest.size() < 2) {
                        throw new IllegalArgumentException("restore needs <jar> <savepoint>");
                    }
                    String savepoint = rest.remove(1);
                    submit(workDir, rest, Optional.of(savepoint));
                }
                case "savepoint" ->
                        System.out.println(
                                rest(workDir).savepoint(single(rest, "job id"), SAVEPOINTS, false));
                case "stop-with-savepoint" ->
                        System.out.println(
                                rest(workDir)
                                        .stopWithSavepoint(
                                                single(rest, "job id"), SAVEPOINTS, false));
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("local-cluster: " + e.getMessage() + " (see --help)");
            System.exit(2);
        } catch (java.io.IOException | IllegalStateException e) {
            System.err.println("local-cluster: " + command + " failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void start(Path workDir, int taskManagers) throws Exception {
        if (StackState.read(workDir) != null) {
            System.out.println("A stack is already running in " + workDir + ":");
            status(workDir);
            return;
        }
        // A fresh stack each time: data of a previous one (stopped or crashed) is not reused.
        for (String dir : List.of("kafka", "s3", "tmp", "log", "conf")) {
            FileUtils.deleteDirectory(workDir.resolve(dir).toFile());
        }
        Files.createDirectories(workDir.resolve("log"));
        Path log = workDir.resolve("log/stack.log");
        ProcessBuilder supervisor =
                new ProcessBuilder(
                                Java.executable(),
                                "-Xmx512m",
                                "-Djava.io.tmpdir="
                                        + Files.createDirectories(workDir.resolve("tmp")),
                                "-Dlocal.cluster.home=" + LocalStack.home(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                LocalClusterCli.class.getName(),
                                "supervise",
                                "--work-dir",
                                workDir.toString(),
                                "--taskmanagers",
                                String.valueOf(taskManagers))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = supervisor.start();
        System.out.println(
                "Starting Kafka, S3 and Flink (1 JobManager, "
                        + taskManagers
                        + " TaskManagers) in "
                        + workDir
                        + " ...");
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (StackState.read(workDir) == null) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                System.err.println("The stack did not start; last lines of " + log + ":");
                List<String> lines = Files.readAllLines(log);
                lines.subList(Math.max(0, lines.size() - 25), lines.size())
                        .forEach(System.err::println);
                process.destroy();
                System.exit(1);
            }
            Thread.sleep(500);
        }
        status(workDir);
    }

    /** The supervisor: owns the stack until terminated (scripts/local-cluster stop). */
    private static void supervise(Path workDir, int taskManagers) throws Exception {
        LocalStack stack = LocalStack.start(workDir, taskManagers);
        // The jobs' default topics, so that `submit wordcount` works as it is.
        try (KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers())) {
            for (String job : List.of("wordcount", "statemachine")) {
                kafka.createTopic(job + "-input", 4);
                kafka.createTopic(job + "-output", 1);
                kafka.createTopic(job + "-dlq", 1);
            }
        }
        Map<String, String> state = new LinkedHashMap<>();
        state.put("supervisor.pid", String.valueOf(ProcessHandle.current().pid()));
        stack.pids().forEach((name, pid) -> state.put("pid." + name, String.valueOf(pid)));
        state.put("kafka.bootstrap", stack.bootstrapServers());
        state.put("flink.rest", stack.restUrl());
        state.put("s3.endpoint", stack.s3Endpoint());
        state.put("s3.bucket.dir", stack.bucketDir().toString());
        state.put(
                "metrics.ports",
                stack.ports().metricsFirst()
                        + "-"
                        + (stack.ports().metricsFirst() + StackPorts.METRICS_PORTS - 1));
        StackState.write(workDir, state);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        StackState.delete(workDir);
                                    } catch (Exception e) {
                                        // best effort
                                    }
                                }));
        new CountDownLatch(1).await(); // until SIGTERM; LocalStack's hook stops the processes
    }

    private static void status(Path workDir) throws Exception {
        Properties state = StackState.read(workDir);
        if (state == null) {
            System.out.println("No stack running in " + workDir);
            return;
        }
        System.out.println("Processes:");
        state.stringPropertyNames().stream()
                .filter(key -> key.startsWith("pid.") || key.equals("supervisor.pid"))
                .sorted()
                .forEach(
                        key -> {
                            long pid = Long.parseLong(state.getProperty(key));
                            boolean alive =
                                    pid > 0
                                            && ProcessHandle.of(pid)
                                                    .map(ProcessHandle::isAlive)
                                                    .orElse(false);
                            System.out.printf(
                                    "  %-22s pid %-8d %s%n",
                                    key.replace("pid.", ""),
                                    pid,
                                    alive ? "running" : "NOT RUNNING");
                        });
        System.out.println("Flink Web UI / REST:  " + state.getProperty("flink.rest"));
        System.out.println("Kafka:                " + state.getProperty("kafka.bootstrap"));
        System.out.println(
                "S3 endpoint:          "
                        + state.getProperty("s3.endpoint")
                        + " (bucket flink: "
                        + state.getProperty("s3.bucket.dir")
                        + ")");
        System.out.println(
                "Prometheus ports:     "
                        + state.getProperty("metrics.ports")
                        + " (127.0.0.1, /metrics)");
        System.out.println("Logs:                 " + workDir.resolve("log"));
        try {
            System.out.println("Jobs:");
            rest(workDir)
                    .jobsOverview()
                    .path("jobs")
                    .forEach(
                            job ->
                                    System.out.printf(
                                            "  %s  %-10s %s%n",
                                            job.path("jid").asText(),
                                            job.path("state").asText(),
                                            job.path("name").asText()));
        } catch (Exception e) {
            System.out.println("  (JobManager REST not reachable: " + e.getMessage() + ")");
        }
    }

    private static void stop(Path workDir) throws Exception {
        Properties state = StackState.read(workDir);
        if (state == null) {
            System.out.println("No stack running in " + workDir);
            return;
        }
        // The supervisor stops its processes; anything left (supervisor killed) is stopped by PID.
        ProcessHandle.of(Long.parseLong(state.getProperty("supervisor.pid")))
                .ifPresent(ManagedProcess::stop);
        state.stringPropertyNames().stream()
                .filter(key -> key.startsWith("pid."))
                .map(key -> Long.parseLong(state.getProperty(key)))
                .forEach(pid -> ProcessHandle.of(pid).ifPresent(ManagedProcess::stop));
        StackState.delete(workDir);
        System.out.println("Stopped the stack in " + workDir);
    }

    private static void submit(Path workDir, List<String> args, Optional<String> savepoint)
            throws Exception {
        int separator = args.indexOf("--");
        List<String> jobArgs = new ArrayList<>();
        List<String> own = new ArrayList<>(args);
        if (separator >= 0) {
            jobArgs.addAll(args.subList(separator + 1, args.size()));
            own = new ArrayList<>(args.subList(0, separator));
        }
        String entryClass = option(own, "--entry-class").orElse(null);
        int parallelism = Integer.parseInt(option(own, "--parallelism").orElse("2"));
        Optional<String> from = option(own, "--from-savepoint").or(() -> savepoint);
        Path jar = jarOf(single(own, "job or jar"));
        Properties state = requireState(workDir);
        List<String> resolved =
                new ArrayList<>(
                        jobArgs.stream()
                                .map(
                                        a ->
                                                a.replace(
                                                        "{bootstrap}",
                                                        state.getProperty("kafka.bootstrap")))
                                .toList());
        if (!resolved.contains("--bootstrap-servers")) {
            // The stack's own Kafka, as KAFKA_BOOTSTRAP_SERVERS does in Kubernetes.
            resolved.addAll(List.of("--bootstrap-servers", state.getProperty("kafka.bootstrap")));
        }
        String jobId = rest(workDir).submit(jar, entryClass, parallelism, resolved, from);
        System.out.println(jobId);
    }

    /** A job name (wordcount, statemachine) means its shaded jar; anything else is a jar path. */
    private static Path jarOf(String jobOrJar) {
        if (jobOrJar.matches("[a-z]+")) {
            Path jar = Path.of("jobs", jobOrJar, "target", jobOrJar + ".jar");
            if (!Files.exists(jar)) {
                throw new IllegalArgumentException(
                        "no shaded jar " + jar + " (unknown job, or run ./mvnw package)");
            }
            return jar;
        }
        return Path.of(jobOrJar);
    }

    private static FlinkRestClient rest(Path workDir) throws Exception {
        return new FlinkRestClient(requireState(workDir).getProperty("flink.rest"));
    }

    private static Properties requireState(Path workDir) throws Exception {
        Properties state = StackState.read(workDir);
        if (state == null) {
            throw new IllegalArgumentException(
                    "no stack running in " + workDir + "; run start first");
        }
        return state;
    }

    private static Optional<String> option(List<String> args, String name) {
        int index = args.indexOf(name);
        int separator = args.indexOf("--");
        if (index < 0 || (separator >= 0 && index > separator)) {
            return Optional.empty();
        }
        if (index + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args.get(index + 1);
        args.remove(index + 1);
        args.remove(index);
        return Optional.of(value);
    }

    private static String single(List<String> args, String what) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("expected one " + what + ", got " + args);
        }
        return args.get(0);
    }
}
