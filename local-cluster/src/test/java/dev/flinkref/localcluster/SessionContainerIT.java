package dev.flinkref.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The session cluster of {@code k8s/session/overlays/prod} run as the operator runs its pods, on a
 * real Docker engine: the image the manifest names (the stand-in for the official image, unchanged:
 * no image of ours), its init container copying the S3 plugin into the pods' emptyDir, a JobManager
 * ({@code jobmanager}, session mode) and two TaskManager containers with the overlay's
 * configuration, security context (read-only root filesystem, non-root, no capabilities), memory
 * limits and environment (Kafka's address, S3 credentials). Then every FlinkSessionJob of the
 * overlay through {@link SessionJobScenario}: deployed with the operator's REST calls, one upgraded
 * with a savepoint on S3, exact output, deleted with a savepoint on S3.
 *
 * <p>Needs what {@link ContainerRuntimeIT} needs; skips (or, with {@code CONTAINER_TESTS=required},
 * fails) likewise.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class SessionContainerIT {
    private static Path work;
    private static DockerEngine engine;
    private static String image;
    private static LocalKafkaBroker broker;
    private static ManagedProcess s3Process;
    private static S3ProxyServer s3;
    private static KafkaTestClient kafka;
    private static JarRepository repository;

    @BeforeAll
    static void startEngine() throws Exception {
        Optional<String> unavailable = DockerEngine.unavailableReason();
        if (unavailable.isPresent()) {
            String reason = "no Docker engine can start here: " + unavailable.get();
            if ("required".equals(System.getenv("CONTAINER_TESTS"))) {
                Assertions.fail("CONTAINER_TESTS=required, but " + reason);
            }
            Assumptions.abort(reason);
        }
        Path target = Path.of("target").toAbsolutePath();
        work = target.resolve("session-container-tests");
        Shell.check(List.of("rm", "-rf", work.toString()), Map.of(), Duration.ofMinutes(5), null);
        Files.createDirectories(work.resolve("logs"));
        engine = DockerEngine.start(work);
        image = FlinkBaseImage.build(engine, work, target.resolve("image-cache"));
        broker = new LocalKafkaBroker(work.resolve("kafka"), FreePorts.next());
        broker.start();
        kafka = new KafkaTestClient(broker.bootstrapServers());
        s3 = S3ProxyServer.create(work.resolve("s3"));
        s3Process =
                s3.start(LocalStack.home().resolve("s3proxy/s3proxy.jar"), work.resolve("logs"));
        repository = new JarRepository(work.resolve("jar-repository"));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try (AutoCloseable e = engine) {
            if (repository != null) {
                repository.close();
            }
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

    @Test
    void theSessionClusterPodsRunEverySessionJob() throws Exception {
        Path overlay = SessionJobScenario.repoRoot().resolve("k8s/session/overlays/prod");
        List<JsonNode> documents = SessionJobScenario.render(overlay);
        JsonNode clusterDoc =
                documents.stream()
                        .filter(d -> "FlinkDeployment".equals(d.path("kind").asText()))
                        .findFirst()
                        .orElseThrow();
        ProdDeployment cluster = ProdDeployment.of(clusterDoc);
        assertThat(cluster.initContainers()).as("the S3 plugin's init container").hasSize(1);
        // The official image the manifest names, played by the stand-in built from packages.
        assertThat(clusterDoc.at("/spec/image").asText()).startsWith("flink:2.2.0-");
        assertThat(clusterDoc.at("/spec/podTemplate/spec/initContainers/0/image").asText())
                .isEqualTo(clusterDoc.at("/spec/image").asText());

        // Checkpoints and savepoints go to the overlay's bucket, on the local S3 server.
        URI checkpoints =
                URI.create(cluster.flinkConfiguration().get("execution.checkpointing.dir"));
        Files.createDirectories(s3.bucketDir().resolveSibling(checkpoints.getHost()));

        Map<String, String> env =
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                        "AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY,
                        "AWS_SECRET_ACCESS_KEY", s3.credential());
        try (FlinkPods pods =
                new FlinkPods(engine, cluster, work.resolve("session"), s3.endpoint(), env)) {
            // The prod overlay runs every session job at parallelism 4: 8 slots, four 4 GiB
            // TaskManager containers, more than this 2-core test machine runs beside the rest.
            // Two-slot TaskManagers, one per job, take every job at parallelism 2.
            Map<String, JsonNode> sessionJobs = new LinkedHashMap<>();
            SessionJobScenario.sessionJobs(overlay)
                    .forEach(
                            (name, doc) -> {
                                ObjectNode copy = doc.deepCopy();
                                ((ObjectNode) copy.at("/spec/job")).put("parallelism", 2);
                                sessionJobs.put(name, copy);
                            });
            String jobManager = pods.startSessionJobManager(image);
            List<String> taskManagers = new ArrayList<>();
            for (int i = 0; i < Math.max(2, sessionJobs.size()); i++) {
                taskManagers.add(pods.startTaskManager(image));
            }
            pods.rest().awaitTaskManagers(taskManagers.size(), Duration.ofMinutes(3));
            // The init container filled each pod's plugin volume before Flink started.
            List<String> allPods = new ArrayList<>(taskManagers);
            allPods.add(0, jobManager);
            for (String pod : allPods) {
                try (var files = Files.list(pods.emptyDirOf(pod, "s3-plugin"))) {
                    assertThat(files.map(f -> f.getFileName().toString()))
                            .singleElement()
                            .asString()
                            .startsWith("flink-s3-fs-hadoop-");
                }
            }

            new SessionJobScenario(
                            pods.rest(),
                            kafka,
                            repository,
                            work,
                            s3.bucketDir().getParent(),
                            // Kafka's address comes from the pods' KAFKA_BOOTSTRAP_SERVERS.
                            List.of())
                    .run(sessionJobs);
            assertThat(pods.filesystemErrors()).isEmpty();
        }
    }
}
