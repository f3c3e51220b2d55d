package dev.flinkref.localcluster;

import dev.flinkref.testkit.jobs.JobModule;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scripts/local-cluster}: start, inspect and stop the local stack, and submit, savepoint,
 * stop-with-savepoint and restore jobs on it the way the operator does in Kubernetes.
 *
 * <p>{@code start} launches a detached supervisor JVM that owns every process of the stack (and
 * stops them all when it is terminated); later commands find it through the state file. Jobs are
 * the ones under {@code jobs/} ({@link JobModule}), submitted by name.
 */
@Command(
        name = "scripts/local-cluster",
        mixinStandardHelpOptions = true,
        description = {
            "Kafka + S3 (S3Proxy) + a multi-process Flink 2.2 cluster on 127.0.0.1, and the"
                    + " operator's job operations against it.",
            "A <job> is a folder of jobs/ (its shaded jar, built by start); jobs get the stack's"
                    + " Kafka as --bootstrap-servers unless given, and job args may use {bootstrap}"
                    + " for it, e.g. submit <job> -- --input-topic lines."
        },
        subcommands = {
            LocalClusterCli.Start.class,
            LocalClusterCli.Status.class,
            LocalClusterCli.Stop.class,
            LocalClusterCli.Jobs.class,
            LocalClusterCli.Submit.class,
            LocalClusterCli.Restore.class,
            LocalClusterCli.Savepoint.class,
            LocalClusterCli.StopWithSavepoint.class,
            LocalClusterCli.Produce.class,
            LocalClusterCli.Consume.class,
            LocalClusterCli.Supervise.class
        })
public final class LocalClusterCli {
    private static final String SAVEPOINTS = "s3://" + S3ProxyServer.BUCKET + "/savepoints";

    /** The checkout whose jobs/ the commands see: scripts/local-cluster runs from its root. */
    private static final Path REPO =
            Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();

    @Option(
            names = "--work-dir",
            scope = CommandLine.ScopeType.INHERIT,
            defaultValue = "${env:LOCAL_CLUSTER_WORK_DIR:-.local/cluster}",
            description = "State and logs of the stack (default: ${DEFAULT-VALUE}).")
    Path workDir;

    private LocalClusterCli() {}

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LocalClusterCli());
        // One line and exit code 2 for a usage error (picocli's default), 1 when a command fails.
        cli.setExecutionExceptionHandler(
                (e, commandLine, parsed) -> {
                    if (e instanceof IllegalArgumentException) {
                        commandLine
                                .getErr()
                                .println("local-cluster: " + e.getMessage() + " (see --help)");
                        return CommandLine.ExitCode.USAGE;
                    }
                    commandLine
                            .getErr()
                            .println(
                                    "local-cluster: "
                                            + commandLine.getCommandName()
                                            + " failed: "
                                            + e.getMessage());
                    return CommandLine.ExitCode.SOFTWARE;
                });
        System.exit(cli.execute(args));
    }

    Path workDir() {
        return workDir.toAbsolutePath();
    }

    @Command(name = "start", description = "Start Kafka, S3 and Flink; create every job's topics.")
    static final class Start implements Callable<Integer> {
        @CommandLine.ParentCommand LocalClusterCli cli;

        @Option(
                names = "--taskmanagers",
                defaultValue = "2",
                description = "TaskManager processes (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @Override
        public Integer call() throws Exception {
            requirePositive(taskManagers, "--taskmanagers");
            start(cli.workDir(), taskManagers);
            return 0;
        }
    }

    @Command(name = "supervise", hidden = true, description = "The detached owner of the stack.")
    static final class Supervise implements Callable<Integer> {
        @CommandLine.ParentCommand LocalClusterCli cli;

        @Option(names = "--taskmanagers", defaultValue = "2")
        int taskManagers;

        @Override
        public Integer call() throws Exception {
            supervise(cli.workDir(), taskManagers);
            return 0;
        }
    }

    @Command(
            name = "status",
            description = "Processes, URLs (Web UI, Kafka, S3, Prometheus), jobs.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand LocalClusterCli cli;

        @Override
        public Integer call() throws Exception {
            status(cli.workDir());
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop exactly what start started.")
    static final class Stop implements Callable<Integer> {
        @CommandLine.ParentCommand LocalClusterCli cli;

        @Override
        public Integer call() throws Exception {
            stop(cli.workDir());
            return 0;
        }
    }

    @Command(name = "jobs", description = "The jobs of this repository (folders of jobs/).")
    static final class Jobs implements Callable<Integer> {
        @Override
        public Integer call() {
            for (JobModule job : JobModule.discover(REPO)) {
                System.out.printf(
                        "%-24s %s  %s%n",
                        job.name(),
                        job.mainClass(),
                        Files.exists(job.shadedJar()) ? "" : "(not built)");
            }
            return 0;
        }
    }

    /** What submit and restore share: the job, parallelism and the job's own arguments. */
    static class JobRunOptions {
        @Parameters(index = "0", paramLabel = "<job|jar>", description = "A job's name or a jar.")
        String jobOrJar;

        @Option(
                names = "--parallelism",
                defaultValue = "2",
                description = "Default: ${DEFAULT-VALUE}.")
        int parallelism;

        @Option(names = "--entry-class", description = "Default: the jar's Main-Class.")
        String entryClass;

        @Parameters(
                index = "1..*",
                paramLabel = "-- <job args>",
                description = "Arguments of the job, after --.")
        List<String> jobArgs = new ArrayList<>();
    }

    @Command(
            name = "submit",
            description = "Submit a job's shaded jar (or any jar) over REST; prints the job id.")
    static final class Submit implements Callable<Integer> {
        @CommandLine.ParentCommand LocalClusterCli cli;
        @CommandLine.Mixin JobRunOptions run;

        @Option(names = "--from-savepoint", paramLabel = "PATH", description = "Restore from it.")
        String savepoint;

        @Override
        public Integer call() throws Exception {
            System.out.println(submit(cli.workDir(), run, Optional.ofNullable(savepoint)));
            return 0;
        }
    }

    @Command(name = "restore", description = "Submit a job restored from a savepoint.")
    static final class Restore implements Callable<Integer> {
        @CommandLine.ParentCommand LocalClusterCli cli;

        @Parameters(index = "0", paramLabel = "<job|jar>")
        String jobOrJar;

        @Parameters(index = "1", paramLabel = "<savepoint>")
        String savepoint;

        @Option(names = "--parallelism", defaultValue = "2")
        int parallelism;

        @Option(names = "--entry-class")
        String entryClass;

        @Parameters(index = "2..*", paramLabel = "-- <job args>")
        List<String> jobArgs = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            JobRunOptions run = new JobRunOptions();
            run.jobOrJar = jobOrJar;
            run.parallelism = parallelism;
            run.entryClass = entryClass;
            run.jobArgs = jobArgs;
            System.out.println(submit(cli.workDir(), run, Optional.of(savepoint)));
            return 0;
        }
    }

    @Command(
            name = "savepoint",
            description = "Savepoint to s3://flink/savepoints; prints its path.")
    static final class Savepoint implements Callable<Integer> {
        @CommandLine.ParentCommand LocalClusterCli cli;

        @Parameters(paramLabel = "<job-id>")
        String jobId;

        @Override
        public Integer call() throws Exception {
            System.out.println(rest(cli.workDir()).savepoint(jobId, SAVEPOINTS, false));
            return 0;
        }
    }

    @Command(
            name = "stop-with-savepoint",
            description = "Stop the job with a savepoint; prints its path.")
    static final class StopWithSavepoint implements Callable<Integer> {
        @CommandLine.ParentCommand LocalClusterCli cli;

        @Parameters(paramLabel = "<job-id>")
        String jobId;

        @Override
        public Integer call() throws Exception {
            System.out.println(rest(cli.workDir()).stopWithSavepoint(jobId, SAVEPOINTS, false));
            return 0;
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
                                "-Drepo.root=" + REPO,
                                "-cp",
                                System.getProperty("java.class.path"),
                                LocalClusterCli.class.getName(),
                                "--work-dir",
                                workDir.toString(),
                                "supervise",
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
                throw new IllegalStateException("the stack did not start");
            }
            Thread.sleep(500);
        }
        status(workDir);
    }

    /** The supervisor: owns the stack until terminated (scripts/local-cluster stop). */
    private static void supervise(Path workDir, int taskManagers) throws Exception {
        LocalStack stack = LocalStack.start(workDir, taskManagers);
        // Every job's default topics, so that `submit <job>` works as it is.
        createDefaultTopics(stack.bootstrapServers(), JobModule.discover(REPO));
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

    @Command(
            name = "produce",
            description =
                    "Write the lines of standard input to a topic of the stack's Kafka (UTF-8"
                            + " values, no keys, spread over its partitions).")
    static final class Produce implements Callable<Integer> {
        @CommandLine.ParentCommand LocalClusterCli cli;

        @Parameters(paramLabel = "<topic>")
        String topic;

        @Override
        public Integer call() throws Exception {
            List<String> lines =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                            .lines()
                            .toList();
            try (KafkaTestClient kafka = new KafkaTestClient(bootstrap(cli.workDir()))) {
                kafka.produceStrings(topic, lines, System.currentTimeMillis());
            }
            System.out.println("wrote " + lines.size() + " records to " + topic);
            return 0;
        }
    }

    @Command(
            name = "consume",
            description =
                    "Print a topic's committed records (read_committed, as the jobs' consumers"
                            + " must read), one per line: key, a tab, value.")
    static final class Consume implements Callable<Integer> {
        @CommandLine.ParentCommand LocalClusterCli cli;

        @Parameters(paramLabel = "<topic>")
        String topic;

        @Override
        public Integer call() throws Exception {
            try (KafkaTestClient kafka = new KafkaTestClient(bootstrap(cli.workDir()))) {
                for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(topic)) {
                    System.out.println(text(record.key()) + "\t" + text(record.value()));
                }
            }
            return 0;
        }

        private static String text(byte[] bytes) {
            return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static String bootstrap(Path workDir) throws Exception {
        return requireState(workDir).getProperty("kafka.bootstrap");
    }

    private static String submit(Path workDir, JobRunOptions run, Optional<String> savepoint)
            throws Exception {
        requirePositive(run.parallelism, "--parallelism");
        Properties state = requireState(workDir);
        String bootstrap = state.getProperty("kafka.bootstrap");
        Path jar;
        if (run.jobOrJar.endsWith(".jar")) {
            jar = Path.of(run.jobOrJar);
        } else {
            JobModule job = JobModule.named(REPO, run.jobOrJar);
            jar = job.shadedJar();
            if (!Files.exists(jar)) {
                throw new IllegalArgumentException(
                        "no shaded jar " + jar + " (run ./mvnw package, or restart the stack)");
            }
            // A job added after start still finds its default topics.
            createDefaultTopics(bootstrap, List.of(job));
        }
        List<String> args =
                new ArrayList<>(
                        run.jobArgs.stream()
                                .map(a -> a.replace("{bootstrap}", bootstrap))
                                .toList());
        if (!args.contains("--bootstrap-servers")) {
            // The stack's own Kafka, as KAFKA_BOOTSTRAP_SERVERS does in Kubernetes.
            args.addAll(List.of("--bootstrap-servers", bootstrap));
        }
        return rest(workDir).submit(jar, run.entryClass, run.parallelism, args, savepoint);
    }

    /**
     * The topics the jobs use with their default options (inputs with 4 partitions), where missing:
     * one client and one listing for all of them.
     */
    private static void createDefaultTopics(String bootstrapServers, List<JobModule> jobs)
            throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            Set<String> existing = kafka.admin().listTopics().names().get();
            for (JobModule job : jobs) {
                List<String> topics = job.defaultTopics();
                for (int i = 0; i < topics.size(); i++) {
                    if (!existing.contains(topics.get(i))) {
                        kafka.createTopic(topics.get(i), i == 0 ? 4 : 1);
                    }
                }
            }
        }
    }

    private static void requirePositive(int value, String option) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive, got " + value);
        }
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
}
