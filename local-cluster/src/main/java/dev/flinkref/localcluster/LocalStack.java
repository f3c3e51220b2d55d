package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.LocalKafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The production-like local stack: a Kafka broker (KRaft), an S3 API server with the {@code flink}
 * bucket, and a Flink session cluster of one JobManager and N TaskManager processes that keeps
 * checkpoints and savepoints on S3 and reports metrics to Prometheus endpoints. All on 127.0.0.1,
 * on free ports; {@link #close()} stops exactly what it started.
 */
public final class LocalStack implements AutoCloseable {
    private final Path workDir;
    private StackPorts ports;
    private final LocalKafkaBroker kafka;
    private final S3ProxyServer s3;
    private ManagedProcess s3Process;
    private FlinkSessionCluster flink;
    private ZooKeeperServer zooKeeper;
    private ManagedProcess jobManager;
    private Map<String, String> configuration = Map.of();
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final List<ManagedProcess> taskManagers = new ArrayList<>();
    private final List<PrometheusServer> prometheusServers = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::close, "local-stack-stop");
    private int taskManagersStarted;

    private LocalStack(Path workDir, StackPorts ports) {
        this.workDir = workDir;
        this.ports = ports;
        this.kafka = new LocalKafkaBroker(workDir.resolve("kafka"), ports.kafka());
        this.s3 = S3ProxyServer.create(workDir.resolve("s3"));
        this.flink = new FlinkSessionCluster(flinkHome(), workDir, ports);
    }

    /** Starts Kafka, S3 and Flink with {@code taskManagers} TaskManagers of 2 slots each. */
    public static LocalStack start(Path workDir, int taskManagers) throws Exception {
        return start(workDir, taskManagers, Map.of());
    }

    /**
     * As {@link #start(Path, int)}, with {@code configuration} entries replacing or adding keys of
     * the cluster's config.yaml (the benchmarks size TaskManagers this way).
     */
    public static LocalStack start(
            Path workDir, int taskManagers, Map<String, String> configuration) throws Exception {
        return start(workDir, taskManagers, configuration, false);
    }

    /**
     * As {@link #start(Path, int)}, with JobManager high availability: a real ZooKeeper beside the
     * stack, the HA metadata (job graphs, checkpoint ids, completed checkpoints) on S3 under {@code
     * s3://flink/ha}. A JobManager killed with {@link #killJobManager()} is then replaced by {@link
     * #startJobManager()}, which recovers the running jobs, as a restarted JobManager pod does with
     * Kubernetes HA.
     */
    public static LocalStack startWithHighAvailability(Path workDir, int taskManagers)
            throws Exception {
        return start(workDir, taskManagers, Map.of(), true);
    }

    private static LocalStack start(
            Path workDir,
            int taskManagers,
            Map<String, String> configuration,
            boolean highAvailability)
            throws Exception {
        FlinkSessionCluster.requireDistribution(flinkHome());
        Files.createDirectories(workDir.resolve("log"));
        LocalStack stack = new LocalStack(workDir.toAbsolutePath(), StackPorts.pick());
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.kafka.start();
            stack.s3Process = stack.s3.start(s3proxyJar(), stack.flink.logDir());
            stack.processes.add(stack.s3Process);
            stack.configuration = configuration;
            if (highAvailability) {
                stack.zooKeeper = ZooKeeperServer.create(stack.workDir.resolve("zookeeper"));
                stack.processes.add(
                        stack.zooKeeper.start(flinkHome().resolve("lib"), stack.flink.logDir()));
            }
            stack.jobManager = stack.launchJobManager();
            stack.processes.add(stack.jobManager);
            for (int i = 0; i < taskManagers; i++) {
                stack.startTaskManager();
            }
            stack.rest().awaitTaskManagers(taskManagers, Duration.ofMinutes(2));
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /**
     * Starts the JobManager. Its ports were free when picked, but another process on the machine
     * may take one before the JobManager binds it: then it starts again on newly picked ports. Any
     * other failure is thrown with the tail of the JobManager's log.
     */
    private ManagedProcess launchJobManager() throws Exception {
        for (int attempt = 1; ; attempt++) {
            flink.writeConfiguration(s3, 2, flinkConfiguration());
            try {
                return flink.startJobManager();
            } catch (IllegalStateException e) {
                String log = flink.jobManagerLogTail();
                boolean portTaken =
                        log.contains("BindException") || log.contains("Address already in use");
                if (portTaken && attempt < 3) {
                    ports = ports.withNewFlinkPorts();
                    flink = new FlinkSessionCluster(flinkHome(), workDir, ports);
                    continue;
                }
                throw new IllegalStateException(
                        e.getMessage() + "\n--- tail of the JobManager's log ---\n" + log, e);
            }
        }
    }

    /** The configuration overrides of this stack, with the HA keys when it runs with HA. */
    private Map<String, String> flinkConfiguration() {
        if (zooKeeper == null) {
            return configuration;
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("high-availability.type", "zookeeper");
        all.put("high-availability.zookeeper.quorum", zooKeeper.quorum());
        all.put("high-availability.storageDir", "s3://" + S3ProxyServer.BUCKET + "/ha");
        // The znode and storage folder of this cluster; Kubernetes HA names its ConfigMaps by it.
        all.put("high-availability.cluster-id", "local-stack");
        // A killed JobManager keeps leadership until its ZooKeeper session expires (default 60 s):
        // 15 s, the default lease duration of Kubernetes HA, so recovery times compare.
        all.put("high-availability.zookeeper.client.session-timeout", "15 s");
        // In HA mode the JobManager's RPC port comes from here, not jobmanager.rpc.port; fixed so
        // that a new JobManager binds the same loopback port (TaskManagers find it through
        // ZooKeeper either way).
        all.put("high-availability.jobmanager.port", String.valueOf(ports.jobManagerRpc()));
        all.putAll(configuration);
        return all;
    }

    /**
     * {@code kill -9} of the JobManager, as a crashed or OOM-killed JobManager pod ends; returns
     * its PID. The TaskManagers, Kafka, S3 and ZooKeeper keep running.
     */
    public long killJobManager() throws Exception {
        ManagedProcess victim = jobManager;
        if (victim == null || !victim.isAlive()) {
            throw new IllegalStateException("no live JobManager");
        }
        victim.kill();
        synchronized (processes) {
            processes.remove(victim);
        }
        return victim.pid();
    }

    /**
     * Starts a new JobManager after {@link #killJobManager()}, on the same ports and configuration,
     * as Kubernetes restarts the pod; returns once its REST API answers. With HA it becomes leader
     * and recovers every job that was running.
     */
    public void startJobManager() throws Exception {
        if (jobManager != null && jobManager.isAlive()) {
            throw new IllegalStateException("the JobManager is still running");
        }
        ManagedProcess started = flink.startJobManager();
        jobManager = started;
        synchronized (processes) {
            processes.add(started);
        }
    }

    /** Starts one more TaskManager (a replacement, as a Kubernetes Deployment would). */
    public void startTaskManager() throws Exception {
        ManagedProcess taskManager = flink.startTaskManager("taskmanager-" + ++taskManagersStarted);
        synchronized (processes) {
            processes.add(taskManager);
            taskManagers.add(taskManager);
        }
    }

    /**
     * SIGSTOP of a TaskManager that runs tasks of {@code jobId}; returns its name. It holds its
     * state and acknowledges nothing (a checkpoint in flight stays pending) until {@link
     * #killTaskManager(String)}, or until the JobManager's heartbeat timeout declares it lost.
     */
    public String pauseTaskManagerOf(String jobId) throws Exception {
        ManagedProcess victim = liveTaskManagerOf(jobId);
        victim.pause();
        return victim.name();
    }

    /** {@code kill -9} of the TaskManager named {@code name}; returns its PID. */
    public long killTaskManager(String name) throws Exception {
        ManagedProcess victim;
        synchronized (processes) {
            victim =
                    taskManagers.stream()
                            .filter(tm -> tm.name().equals(name))
                            .findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("no " + name));
        }
        victim.kill();
        return victim.pid();
    }

    /** {@code kill -9} of a TaskManager that runs tasks of {@code jobId}; returns its PID. */
    public long killTaskManagerOf(String jobId) throws Exception {
        ManagedProcess victim = liveTaskManagerOf(jobId);
        victim.kill();
        return victim.pid();
    }

    private ManagedProcess liveTaskManagerOf(String jobId) throws Exception {
        List<String> running = rest().taskManagersOf(jobId);
        ManagedProcess victim;
        synchronized (processes) {
            victim =
                    taskManagers.stream()
                            .filter(ManagedProcess::isAlive)
                            .filter(tm -> running.contains(tm.name()))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "no live TaskManager among " + running));
        }
        return victim;
    }

    /**
     * {@code kill -9} of the S3 server: every S3 request of the cluster is refused until {@link
     * #startS3()}, as with an endpoint that is down (a hung one only delays a checkpoint).
     */
    public void stopS3() throws InterruptedException {
        s3Process.kill();
    }

    /** Starts the S3 server again on the same port and data, after {@link #stopS3()}. */
    public void startS3() throws IOException, InterruptedException {
        ManagedProcess restarted = s3.start(s3proxyJar(), flink.logDir());
        synchronized (processes) {
            // Its place in the list keeps the stop order: S3 after the Flink processes.
            processes.set(processes.indexOf(s3Process), restarted);
        }
        s3Process = restarted;
    }

    private static Path s3proxyJar() {
        return home().resolve("s3proxy/s3proxy.jar");
    }

    public LocalKafkaBroker kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String restUrl() {
        return flink.restUrl();
    }

    public FlinkRestClient rest() {
        return new FlinkRestClient(restUrl());
    }

    public String s3Endpoint() {
        return s3.endpoint();
    }

    /** The S3 bucket's content on the S3 server's disk: listing it lists the bucket. */
    public Path bucketDir() {
        return s3.bucketDir();
    }

    public Path workDir() {
        return workDir;
    }

    /** The Prometheus endpoints the Flink processes serve (one port each in the range). */
    public List<String> metricsUrls() {
        List<String> urls = new ArrayList<>();
        for (int port = ports.metricsFirst();
                port < ports.metricsFirst() + StackPorts.METRICS_PORTS;
                port++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                urls.add("http://127.0.0.1:" + port + "/metrics");
            } catch (IOException e) {
                // nobody there
            }
        }
        return urls;
    }

    /**
     * Starts a real Prometheus beside the stack ({@link PrometheusServer}): it scrapes every
     * metrics port of the stack's Flink processes as the repository's PodMonitor declares and
     * evaluates the repository's alert rules, on a clock {@code timeScale} times faster than
     * production's. Stopped with the stack. The repository is {@code -Drepo.root}.
     */
    public PrometheusServer startPrometheus(int timeScale) throws Exception {
        String root = System.getProperty("repo.root");
        if (root == null) {
            throw new IllegalStateException("-Drepo.root is not set: where is the repository?");
        }
        return startPrometheus(Path.of(root), timeScale);
    }

    /** As {@link #startPrometheus(int)}, with the repository at {@code repoRoot}. */
    public PrometheusServer startPrometheus(Path repoRoot, int timeScale) throws Exception {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < StackPorts.METRICS_PORTS; i++) {
            targets.add("127.0.0.1:" + (ports.metricsFirst() + i));
        }
        Path dir = Files.createTempDirectory(workDir, "prometheus-");
        PrometheusServer prometheus = PrometheusServer.start(repoRoot, dir, targets, timeScale);
        synchronized (processes) {
            prometheusServers.add(prometheus);
        }
        return prometheus;
    }

    /** Name to PID of every process of the stack (the Kafka broker included). */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("kafka", kafka.pid());
        synchronized (processes) {
            processes.forEach(p -> pids.put(p.name(), p.isAlive() ? p.pid() : -1));
        }
        return pids;
    }

    public StackPorts ports() {
        return ports;
    }

    @Override
    public void close() {
        List<ManagedProcess> toStop;
        List<PrometheusServer> prometheus;
        synchronized (processes) {
            toStop = new ArrayList<>(processes);
            processes.clear();
            prometheus = new ArrayList<>(prometheusServers);
            prometheusServers.clear();
        }
        prometheus.forEach(PrometheusServer::close);
        // TaskManagers and JobManager first, then S3 and Kafka they write to.
        for (int i = toStop.size() - 1; i >= 0; i--) {
            toStop.get(i).stop();
        }
        kafka.stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
    }

    /** The Flink distribution the stack runs: {@code lib/}, {@code plugins/}. */
    public static Path flinkHome() {
        return home().resolve("flink");
    }

    /** The JVM flags Flink 2.2 needs on Java 17, as the official image passes them. */
    public static List<String> flinkJvmOptions() {
        return FlinkSessionCluster.JAVA_17_OPTIONS;
    }

    /**
     * Where the assembled distribution is: {@code -Dlocal.cluster.home}, else where the
     * testkit-flink-dist module built it (its {@code flink-dist.properties} resource).
     */
    static Path home() {
        String configured = System.getProperty("local.cluster.home");
        if (configured != null) {
            return Path.of(configured);
        }
        try (InputStream in = LocalStack.class.getResourceAsStream("/flink-dist.properties")) {
            if (in == null) {
                throw new IllegalStateException(
                        "flink-dist.properties not on the classpath: build testkit/flink-dist");
            }
            Properties properties = new Properties();
            properties.load(in);
            return Path.of(properties.getProperty("home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
