package dev.flinkref.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.testkit.jobs.JobModule;
import dev.flinkref.testkit.kafka.FreePorts;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import dev.flinkref.testkit.kafka.LocalKafkaBroker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job images, built by {@code scripts/build-images} from the real Dockerfile on a real Docker
 * engine, pushed to a real registry, and run as the operator runs their pods: a JobManager in
 * application mode and two TaskManagers per job, with the rendered prod overlay's
 * flinkConfiguration, security context, memory limits and emptyDirs, against a real Kafka broker
 * and a real S3 server. Then a TaskManager container is killed and replaced, the job is stopped
 * with a savepoint, and the next image tag restores it; the output is compared exactly.
 *
 * <p>Needs root and Debian's docker.io, docker-registry and debootstrap; without them it skips with
 * the reason ({@code CONTAINER_TESTS=required} turns the skip into a failure, as CI sets it).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ContainerRuntimeIT {
    private static Path work;
    private static DockerEngine engine;
    private static ImageRegistry registry;
    private static LocalKafkaBroker broker;
    private static ManagedProcess s3Process;
    private static S3ProxyServer s3;
    private static KafkaTestClient kafka;

    /** Job to pushed image by digest, per tag: "t1" first, "t2" the upgrade. */
    private static final Map<String, Map<String, String>> IMAGES = new LinkedHashMap<>();

    @BeforeAll
    static void buildAndPushImages() throws Exception {
        Optional<String> unavailable = DockerEngine.unavailableReason();
        if (unavailable.isPresent()) {
            String reason = "no Docker engine can start here: " + unavailable.get();
            if ("required".equals(System.getenv("CONTAINER_TESTS"))) {
                Assertions.fail("CONTAINER_TESTS=required, but " + reason);
            }
            Assumptions.abort(reason);
        }
        Path target = Path.of("target").toAbsolutePath();
        work = target.resolve("container-tests");
        Shell.check(List.of("rm", "-rf", work.toString()), Map.of(), Duration.ofMinutes(5), null);
        Files.createDirectories(work.resolve("logs"));
        long started = System.nanoTime();
        engine = DockerEngine.start(work);
        registry = ImageRegistry.start(work);
        String base = FlinkBaseImage.build(engine, work, target.resolve("image-cache"));
        long baseBuilt = System.nanoTime();
        IMAGES.put("t1", buildImages("t1", base));
        long t1Built = System.nanoTime();
        IMAGES.put("t2", buildImages("t2", base));
        System.out.printf(
                "container tests: engine + base image %d s, build-images t1 %d s, t2 %d s%n",
                seconds(baseBuilt - started),
                seconds(t1Built - baseBuilt),
                seconds(System.nanoTime() - t1Built));

        broker = new LocalKafkaBroker(work.resolve("kafka"), FreePorts.next());
        broker.start();
        kafka = new KafkaTestClient(broker.bootstrapServers());
        s3 = S3ProxyServer.create(work.resolve("s3"));
        s3Process =
                s3.start(LocalStack.home().resolve("s3proxy/s3proxy.jar"), work.resolve("logs"));
    }

    /** {@code scripts/build-images} against the engine and registry; job to image by digest. */
    private static Map<String, String> buildImages(String tag, String baseImage) {
        Map<String, String> env = new LinkedHashMap<>(engine.env());
        env.put("REGISTRY", registry.address());
        env.put("TAG", tag);
        env.put("BASE_IMAGE", baseImage);
        String output =
                Shell.check(
                        List.of(
                                repoRoot().resolve("scripts/build-images").toString(),
                                "--skip-build"),
                        env,
                        Duration.ofMinutes(20),
                        work.resolve("logs/build-images-" + tag + ".log"));
        Map<String, String> images = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            if (line.startsWith("pushed ")) {
                String[] words = line.split(" ");
                String job = words[1].replaceAll("^.*/flink-([\\w-]+):.*$", "$1");
                images.put(job, words[2]);
            }
        }
        // Every job of the repository (a scaffolded one too), as scripts/build-images finds them.
        assertThat(images.keySet())
                .as("build-images pushed every job:\n" + output)
                .containsExactlyInAnyOrderElementsOf(
                        JobModule.discover(repoRoot()).stream().map(JobModule::name).toList());
        assertThat(output)
                .contains(
                        "pulled back "
                                + images.values().stream().reduce((a, b) -> b).orElseThrow());
        return images;
    }

    private static final List<PrometheusServer> PROMETHEUS = new ArrayList<>();

    @AfterAll
    static void stopEverything() throws Exception {
        PROMETHEUS.forEach(PrometheusServer::close);
        try (AutoCloseable e = engine;
                AutoCloseable r = registry) {
            if (kafka != null) {
                kafka.close();
            }
            if (s3Process != null) {
                s3Process.stop();
            }
            if (broker != null) {
                broker.stop();
            }
        }
    }

    static List<String> jobs() {
        return JobModule.discover(repoRoot()).stream().map(JobModule::name).toList();
    }

    /**
     * Every job of the repository, a scaffolded one too. A job with a {@link JobSample} (the
     * examples) is fed and its output compared exactly; one without is run through the same kill
     * and upgrade with no input (its exact output is its own integration test's).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void theImageRunsAsThePodsRunThroughAKillAndAnUpgrade(String name) throws Exception {
        ProdDeployment deployment = ProdDeployment.named(repoRoot(), name);
        JobModule module = JobModule.named(repoRoot(), name);
        String input = arg(deployment, "--input-topic").orElse(module.defaultTopics().get(0));
        String output = arg(deployment, "--output-topic").orElse(module.defaultTopics().get(1));
        kafka.createTopic(input, deployment.parallelism());
        kafka.createTopic(output, 2);
        kafka.createTopic(arg(deployment, "--dlq-topic").orElse(module.defaultTopics().get(2)), 1);
        Optional<JobSample> sample = JobSample.of(name);
        JobSample.Inputs inputs =
                sample.map(s -> s.inputs(input))
                        .orElse(
                                new JobSample.Inputs(
                                        List.of(List.of(), List.of(), List.of()),
                                        "flink_taskmanager_job_task_operator_numRecordsIn",
                                        List.of()));
        URI checkpoints =
                URI.create(deployment.flinkConfiguration().get("execution.checkpointing.dir"));
        Path bucket = s3.bucketDir().resolveSibling(checkpoints.getHost());
        Files.createDirectories(bucket);
        String savepointDir =
                deployment.flinkConfiguration().get("execution.checkpointing.savepoint-dir");
        String t1 = IMAGES.get("t1").get(name);
        String t2 = IMAGES.get("t2").get(name);
        assertThat(t2).as("the upgrade is a different image").isNotEqualTo(t1);

        Map<String, String> env =
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                        "AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY,
                        "AWS_SECRET_ACCESS_KEY", s3.credential());
        try (FlinkPods pods =
                new FlinkPods(engine, deployment, work.resolve(name), s3.endpoint(), env)) {
            FlinkRestClient rest = pods.rest();
            kafka.produce(input, inputs.parts().get(0));
            String jobManager = pods.startJobManager(t1, List.of());
            List<String> taskManagers =
                    new ArrayList<>(List.of(pods.startTaskManager(t1), pods.startTaskManager(t1)));
            String job = awaitRunningJob(pods, jobManager);

            // The TaskManager containers' Prometheus endpoints serve the job's own counter (or,
            // for a job fed nothing, Flink's record counter of its operators).
            assertThat(
                            awaitMetric(
                                    pods,
                                    taskManagers,
                                    inputs.metric(),
                                    job,
                                    inputs.parts().get(0).size()))
                    .isEqualTo(inputs.parts().get(0).size());
            awaitMetricServed(pods, taskManagers, inputs.metric(), job);
            awaitCheckpoints(rest, job, 1);

            // A real Prometheus scrapes the containers as the PodMonitor declares (rules 30x
            // faster): it reads the job's metric, and sees the kill below as a restart.
            Optional<PrometheusServer> prometheus = startPrometheus(pods, jobManager, taskManagers);
            if (prometheus.isPresent()) {
                awaitSeries(
                        prometheus.get(),
                        inputs.metric() + "{job_id=\"" + job + "\", namespace=\"flink-jobs\"}");
            }
            // The log emptyDir takes Flink's log file, as the operator's log4j config writes it.
            String logVolume = volumeAt(deployment, "/opt/flink/log");
            try (var files = Files.list(pods.emptyDirOf(taskManagers.get(0), logVolume))) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .anyMatch(f -> f.startsWith("flink-taskmanager-") && f.endsWith(".log"));
            }

            // docker kill of a TaskManager running the job, a new container in its place.
            kafka.produce(input, inputs.parts().get(1));
            String victim = rest.taskManagersOf(job).get(0);
            // Watched from the kill on: on the 30x clock the alert lasts only 30 s.
            CompletableFuture<Boolean> restarting =
                    CompletableFuture.supplyAsync(
                            () -> prometheus.map(p -> firesWithin(p, name)).orElse(true));
            pods.kill(victim);
            taskManagers.add(pods.startTaskManager(t1));
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (rest.restoredCheckpoint(job).isEmpty()
                    || !rest.jobState(job).equals("RUNNING")) {
                assertThat(System.nanoTime()).as("restored after the kill").isLessThan(deadline);
                Thread.sleep(500);
            }
            awaitCheckpoints(rest, job, rest.completedCheckpoints(job) + 1);
            if (prometheus.isPresent()) {
                assertThat(restarting.get(3, TimeUnit.MINUTES)).as("FlinkJobRestarting").isTrue();
                prometheus.get().close();
            }

            // Stop with a savepoint: the application ends and its JobManager exits cleanly.
            String savepoint = rest.stopWithSavepoint(job, savepointDir, false);
            assertThat(pods.awaitExit(jobManager, Duration.ofMinutes(2)))
                    .as("JobManager exit code after stop-with-savepoint:\n" + pods.logs(jobManager))
                    .isZero();
            for (String taskManager : taskManagers) {
                engine.tryDocker(Duration.ofMinutes(1), "rm", "-f", taskManager);
            }
            assertThat(savepoint).startsWith(savepointDir + "/savepoint-");
            assertThat(
                            bucket.resolve(URI.create(savepoint).getPath().substring(1))
                                    .resolve("_metadata"))
                    .as("the savepoint, on the S3 server")
                    .isRegularFile();

            // The next image tag restores from the savepoint; its output continues exactly.
            kafka.produce(input, inputs.parts().get(2));
            String upgraded = pods.startJobManager(t2, List.of("--fromSavepoint", savepoint));
            pods.startTaskManager(t2);
            pods.startTaskManager(t2);
            String restored = awaitRunningJob(pods, upgraded);
            assertThat(
                            rest.get("/jobs/" + restored + "/checkpoints")
                                    .at("/latest/restored/external_path")
                                    .asText())
                    .isEqualTo(savepoint);
            CommittedOutput.assertExactWhileRunning(kafka, output, inputs.expected());
            assertThat(pods.filesystemErrors())
                    .as("no container met a filesystem it may not write")
                    .isEmpty();
        }
    }

    /** Prometheus on the containers' reporters, where a prometheus binary is installed. */
    private static Optional<PrometheusServer> startPrometheus(
            FlinkPods pods, String jobManager, List<String> taskManagers) throws Exception {
        if (!PrometheusServer.available()
                && !"required".equals(System.getenv("PROMETHEUS_TESTS"))) {
            return Optional.empty();
        }
        List<String> targets = new ArrayList<>();
        targets.add(pods.metricsTarget(jobManager));
        taskManagers.forEach(tm -> targets.add(pods.metricsTarget(tm)));
        Path dir = Files.createTempDirectory(work, "prometheus-");
        PrometheusServer prometheus = PrometheusServer.start(repoRoot(), dir, targets, 30);
        PROMETHEUS.add(prometheus); // stopped after all tests, whatever happens in this one
        return Optional.of(prometheus);
    }

    private static boolean firesWithin(PrometheusServer prometheus, String job) {
        try {
            prometheus.awaitAlertFiring("FlinkJobRestarting", job, Duration.ofMinutes(3));
            return true;
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    private static void awaitSeries(PrometheusServer prometheus, String query) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (prometheus.query(query).isEmpty()) {
            assertThat(System.nanoTime()).as("Prometheus has " + query).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** The one job of an application-mode JobManager, once RUNNING; the pod's log if it dies. */
    private static String awaitRunningJob(FlinkPods pods, String jobManager) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (!pods.state(jobManager).startsWith("running")) {
                throw new AssertionError(
                        jobManager
                                + " is "
                                + pods.state(jobManager)
                                + ":\n"
                                + Shell.tail(pods.logs(jobManager), 6_000));
            }
            if (Http.status(pods.restUrl() + "/jobs/overview") == 200) {
                for (JsonNode job : pods.rest().jobsOverview().path("jobs")) {
                    if (job.path("state").asText().equals("RUNNING")
                            && pods.rest().taskManagers() >= 2) {
                        return job.path("jid").asText();
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "no RUNNING job on "
                        + jobManager
                        + ":\n"
                        + Shell.tail(pods.logs(jobManager), 6_000));
    }

    private static long awaitMetric(
            FlinkPods pods, List<String> containers, String metric, String job, long expected)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long sum = -1;
        while (System.nanoTime() < deadline && sum != expected) {
            Thread.sleep(1_000);
            sum = 0;
            for (String container : containers) {
                sum += CommittedOutput.metricSum(Http.get(pods.metricsUrl(container)), metric, job);
            }
        }
        return sum;
    }

    /**
     * Until a container's Prometheus endpoint serves {@code metric} of the job (operators register
     * theirs as they open, after the task's own).
     */
    private static void awaitMetricServed(
            FlinkPods pods, List<String> containers, String metric, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            for (String container : containers) {
                if (Http.get(pods.metricsUrl(container))
                        .lines()
                        .anyMatch(
                                line ->
                                        line.startsWith(metric + "{")
                                                && line.contains("job_id=\"" + job + "\""))) {
                    return;
                }
            }
            assertThat(System.nanoTime())
                    .as(metric + " of " + job + " on a TaskManager container's Prometheus endpoint")
                    .isLessThan(deadline);
            Thread.sleep(1_000);
        }
    }

    private static void awaitCheckpoints(FlinkRestClient rest, String job, long count)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (rest.completedCheckpoints(job) < count) {
            assertThat(System.nanoTime())
                    .as("checkpoint " + count + " of " + job)
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /**
     * With a Docker engine that has no {@code apache/kafka} image and cannot pull one (as here),
     * {@code -Dkafka.broker=auto} still gives every other test a broker: the local one. A JVM
     * pointed at this engine through {@code DOCKER_HOST}, as Testcontainers finds an engine.
     */
    @Test
    void kafkaBrokerAutoSelectionFallsBackToTheLocalBrokerWhenTheEngineCannotPullKafka() {
        Map<String, String> env = new LinkedHashMap<>(engine.env());
        String output =
                Shell.check(
                        List.of(
                                Java.executable(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "-Dkafka.broker=auto",
                                KafkaBrokerChoiceProbe.class.getName()),
                        env,
                        Duration.ofMinutes(5),
                        work.resolve("logs/kafka-broker-choice.log"));
        assertThat(output).contains("chosen: LocalKafkaBroker");
    }

    private static String volumeAt(ProdDeployment deployment, String mountPath) {
        return deployment.emptyDirs().entrySet().stream()
                .filter(e -> e.getValue().equals(mountPath))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        deployment.name() + " mounts no emptyDir at " + mountPath));
    }

    /** An argument the manifest gives, if it does (else the job's default applies). */
    private static Optional<String> arg(ProdDeployment deployment, String name) {
        int i = deployment.args().indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(deployment.args().get(i + 1));
    }

    private static long seconds(long nanos) {
        return Duration.ofNanos(nanos).toSeconds();
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }
}
