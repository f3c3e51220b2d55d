package dev.flinkref.localcluster;

import static dev.flinkref.localcluster.CommittedOutput.assertExactWhileRunning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flinkref.testkit.jobs.JobModule;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Session mode on a real session cluster (the local stack: a JobManager and two TaskManager
 * processes, checkpoints and savepoints on S3, a real Kafka broker): every FlinkSessionJob of the
 * rendered session overlay, deployed, upgraded and deleted with the REST calls the operator makes
 * ({@link SessionJobOperator}), all jobs on the one cluster at once, each with exact output.
 *
 * <p>A job with a {@link JobSample} (the examples) is fed and its committed output (read_committed)
 * compared exactly; one without runs through the same lifecycle with no input.
 */
class SessionJobLifecycleIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static LocalStack stack;
    private static KafkaTestClient kafka;
    private static JarRepository repository;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(kubectl(), "kubectl not found: the session overlay cannot be rendered here");
        work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "session-");
        stack = LocalStack.start(work.resolve("stack"), 2);
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
        FlinkRestClient rest = stack.rest();
        // The cluster's savepoint directory, as the operator reads it from the configuration.
        String savepointDir = clusterConfig(rest).get("execution.checkpointing.savepoint-dir");
        SessionJobOperator operator =
                new SessionJobOperator(
                        rest,
                        repository,
                        work.resolve("operator-artifacts"),
                        List.of("--bootstrap-servers", stack.bootstrapServers()));

        // The manifests as kubectl apply -k k8s/session/overlays/local would send them.
        Map<String, JsonNode> sessionJobs = new LinkedHashMap<>();
        for (JsonNode doc : render(repoRoot().resolve("k8s/session/overlays/local"))) {
            if ("FlinkSessionJob".equals(doc.path("kind").asText())) {
                sessionJobs.put(doc.at("/metadata/name").asText(), doc);
            }
        }
        assertThat(sessionJobs.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        JobModule.discover(repoRoot()).stream().map(JobModule::name).toList());
        assertThat(sessionJobs.size())
                .as("at least two jobs share the session cluster (the examples)")
                .isGreaterThanOrEqualTo(2);

        // Version 1 of each jar where its jarURI says; version 2 a rebuilt jar (other bytes).
        Map<String, JobSample.Inputs> inputs = new LinkedHashMap<>();
        Map<String, String> output = new LinkedHashMap<>();
        Map<String, JsonNode> v2Specs = new LinkedHashMap<>();
        Map<String, String> v2Sha = new LinkedHashMap<>();
        for (var entry : sessionJobs.entrySet()) {
            String name = entry.getKey();
            JobModule module = JobModule.named(repoRoot(), name);
            String jarUri = entry.getValue().at("/spec/job/jarURI").asText();
            repository.publish(jarUri, module.shadedJar());
            Path v2Jar = rebuilt(module.shadedJar(), work.resolve(name + "-v2.jar"));
            JsonNode v2 = withJarUri(entry.getValue(), nextVersion(jarUri));
            repository.publish(v2.at("/spec/job/jarURI").asText(), v2Jar);
            v2Specs.put(name, v2);
            v2Sha.put(name, SessionJobOperator.sha256(v2Jar));

            List<String> topics = module.defaultTopics();
            kafka.createTopic(topics.get(0), 4);
            kafka.createTopic(topics.get(1), 2);
            kafka.createTopic(topics.get(2), 1);
            output.put(name, topics.get(1));
            inputs.put(
                    name,
                    JobSample.of(name)
                            .map(sample -> sample.inputs(topics.get(0)))
                            .orElse(
                                    new JobSample.Inputs(
                                            List.of(List.of(), List.of(), List.of()),
                                            "",
                                            List.of())));
            kafka.produce(topics.get(0), inputs.get(name).parts().get(0));
        }

        // Where the examples are (src/examples registers their samples), at least two jobs on the
        // one cluster are fed and checked exactly, not only run.
        long fed = inputs.values().stream().filter(i -> !i.expected().isEmpty()).count();
        System.out.printf("session jobs %s, %d of them fed with a sample%n", inputs.keySet(), fed);
        if (Files.isDirectory(repoRoot().resolve("local-cluster/src/examples"))) {
            assertThat(fed).as("jobs with exact expected output").isGreaterThanOrEqualTo(2);
        }

        // Deploy: every job on the one session cluster at once.
        Map<String, String> jobIds = new LinkedHashMap<>();
        for (var entry : sessionJobs.entrySet()) {
            jobIds.put(entry.getKey(), operator.deploy(entry.getValue(), Optional.empty()));
        }
        for (String jobId : jobIds.values()) {
            rest.awaitState(jobId, "RUNNING", Duration.ofMinutes(2));
        }
        assertThat(running(rest)).containsExactlyInAnyOrderElementsOf(jobIds.values());
        assertThat(rest.jars()).as("the operator deletes each jar after the run").isEmpty();
        for (String jobId : jobIds.values()) {
            awaitCompletedCheckpoint(rest, jobId);
        }

        // Savepoint upgrade of the first job to version 2 of its jar; the others run on.
        String upgraded = sessionJobs.keySet().iterator().next();
        Map<String, String> others = new LinkedHashMap<>(jobIds);
        others.remove(upgraded);
        SessionJobOperator.Upgrade upgrade =
                operator.upgrade(v2Specs.get(upgraded), jobIds.get(upgraded), savepointDir);
        assertThat(operator.lastFetchedSha256())
                .as("the upgrade fetched version 2 of the jar")
                .isEqualTo(v2Sha.get(upgraded));
        rest.awaitState(upgrade.jobId(), "RUNNING", Duration.ofMinutes(2));
        assertThat(rest.checkpoints(upgrade.jobId()).at("/latest/restored/external_path").asText())
                .as("version 2 started from the upgrade's savepoint")
                .isEqualTo(upgrade.savepoint());
        jobIds.put(upgraded, upgrade.jobId());
        for (String other : others.values()) {
            assertThat(rest.jobState(other))
                    .as("another job's upgrade leaves it")
                    .isEqualTo("RUNNING");
            assertThat(rest.restoredCheckpoint(other)).as("never restarted").isEmpty();
        }

        // The rest of the input; every job's committed output exactly as expected, all at once.
        for (String name : sessionJobs.keySet()) {
            String input = JobModule.named(repoRoot(), name).defaultTopics().get(0);
            kafka.produce(input, inputs.get(name).parts().get(1));
            kafka.produce(input, inputs.get(name).parts().get(2));
        }
        assertThat(running(rest)).containsExactlyInAnyOrderElementsOf(jobIds.values());
        for (String name : sessionJobs.keySet()) {
            assertExactWhileRunning(kafka, output.get(name), inputs.get(name).expected());
        }

        // Deletion: each job stops with a savepoint (savepoint-on-deletion), which lands on S3.
        for (var entry : jobIds.entrySet()) {
            JsonNode spec =
                    entry.getKey().equals(upgraded)
                            ? v2Specs.get(upgraded)
                            : sessionJobs.get(entry.getKey());
            Optional<String> savepoint = operator.delete(spec, entry.getValue(), savepointDir);
            assertThat(savepoint).as("%s: a savepoint on deletion", entry.getKey()).isPresent();
            assertThat(inBucket(savepoint.get()).resolve("_metadata")).isRegularFile();
            assertThat(rest.jobState(entry.getValue())).isEqualTo("FINISHED");
        }
        assertThat(running(rest)).isEmpty();
    }

    /** The jarURI of the next version: <repository>/<job>/<version>-2/<job>.jar. */
    private static String nextVersion(String jarUri) {
        URI uri = URI.create(jarUri);
        Path path = Path.of(uri.getPath());
        Path version = path.getParent();
        return uri.getScheme()
                + "://"
                + uri.getHost()
                + version.resolveSibling(version.getFileName() + "-2").resolve(path.getFileName());
    }

    private static JsonNode withJarUri(JsonNode sessionJob, String jarUri) {
        ObjectNode copy = sessionJob.deepCopy();
        ((ObjectNode) copy.at("/spec/job")).put("jarURI", jarUri);
        return copy;
    }

    /** The same classes with one more entry: a new build, so a different file to fetch. */
    private static Path rebuilt(Path jar, Path target) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar));
                JarOutputStream out =
                        new JarOutputStream(Files.newOutputStream(target), in.getManifest())) {
            for (JarEntry entry; (entry = in.getNextJarEntry()) != null; ) {
                out.putNextEntry(new JarEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/flinkref-build.txt"));
            out.write("version 2\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return target;
    }

    private static List<String> running(FlinkRestClient rest) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode job : rest.jobsOverview().path("jobs")) {
            if ("RUNNING".equals(job.path("state").asText())) {
                ids.add(job.path("jid").asText());
            }
        }
        return ids;
    }

    private static void awaitCompletedCheckpoint(FlinkRestClient rest, String jobId)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (rest.completedCheckpoints(jobId) < 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no completed checkpoint of " + jobId);
            }
            Thread.sleep(250);
        }
    }

    private static Map<String, String> clusterConfig(FlinkRestClient rest) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        for (JsonNode entry : rest.get("/jobmanager/config")) {
            config.put(entry.path("key").asText(), entry.path("value").asText());
        }
        return config;
    }

    private static Path inBucket(String s3Path) {
        URI uri = URI.create(s3Path);
        return stack.bucketDir().resolve(uri.getPath().substring(1));
    }

    private static List<JsonNode> render(Path kustomization) throws Exception {
        Process process =
                new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
                        .redirectError(ProcessBuilder.Redirect.PIPE)
                        .start();
        process.getOutputStream().close();
        String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + kustomization + ": " + err);
        }
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (doc != null) {
                docs.add(doc);
            }
        }
        return docs;
    }

    private static boolean kubectl() {
        try {
            Process process = new ProcessBuilder("kubectl", "version", "--client").start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }
}
