package dev.flinkref.localcluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Session mode on a real session cluster (the local stack: a JobManager and two TaskManager
 * processes, checkpoints and savepoints on S3, a real Kafka broker): every FlinkSessionJob of the
 * rendered {@code k8s/session/overlays/local}, deployed, upgraded and deleted with the REST calls
 * the operator makes, all jobs on the one cluster at once, each with exact output ({@link
 * SessionJobScenario}).
 */
class SessionJobLifecycleIT {
    private static LocalStack stack;
    private static KafkaTestClient kafka;
    private static JarRepository repository;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                SessionJobScenario.kubectl(),
                "kubectl not found: the session overlay cannot be rendered here");
        work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "session-");
        // Every session job runs at once: as many 2-slot TaskManagers as their parallelisms need
        // (a scaffolded job adds one).
        int slots =
                sessionJobs().values().stream()
                        .mapToInt(job -> job.at("/spec/job/parallelism").asInt(1))
                        .sum();
        stack = LocalStack.start(work.resolve("stack"), Math.max(2, (slots + 1) / 2));
        kafka = new KafkaTestClient(stack.bootstrapServers());
        repository = new JarRepository(work.resolve("jar-repository"));
    }

    @AfterAll
    static void stop() {
        if (repository != null) {
            repository.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everySessionJobRunsIsUpgradedWithASavepointAndStopsWithOneOnDeletion() throws Exception {
        new SessionJobScenario(
                        stack.rest(),
                        kafka,
                        repository,
                        work,
                        stack.bucketDir().getParent(),
                        // In Kubernetes the session cluster's pods give every job
                        // KAFKA_BOOTSTRAP_SERVERS; the local JobManager process has none.
                        List.of("--bootstrap-servers", stack.bootstrapServers()))
                .run(sessionJobs());
    }

    private static Map<String, JsonNode> sessionJobs() {
        return SessionJobScenario.sessionJobs(
                SessionJobScenario.repoRoot().resolve("k8s/session/overlays/local"));
    }
}
