package dev.flinkref.localcluster;

import static dev.flinkref.localcluster.CommittedOutput.assertExactWhileRunning;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.testkit.jobs.JobModule;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * The session-mode lifecycle, on any session cluster (the local stack's processes, or containers
 * run as the operator runs the session cluster's pods): every FlinkSessionJob of a rendered session
 * overlay deployed at once with the operator's REST calls ({@link SessionJobOperator}), one
 * upgraded with a savepoint to version 2 of its jar while the others run on, every job's committed
 * output (read_committed) exact, every job deleted with a savepoint.
 *
 * <p>A job with a {@link JobSample} (the examples) is fed and its output compared exactly; one
 * without runs through the same lifecycle with no input.
 */
final class SessionJobScenario {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final FlinkRestClient rest;
    private final KafkaTestClient kafka;
    private final JarRepository repository;
    private final Path work;
    private final Path s3Buckets;
    private final List<String> podArgs;

    /**
     * @param s3Buckets the S3 server's directory of buckets (a bucket is a folder of it)
     * @param podArgs arguments standing in for the pods' environment where there are no pods
     */
    SessionJobScenario(
            FlinkRestClient rest,
            KafkaTestClient kafka,
            JarRepository repository,
            Path work,
            Path s3Buckets,
            List<String> podArgs) {
        this.rest = rest;
        this.kafka = kafka;
        this.repository = repository;
        this.work = work;
        this.s3Buckets = s3Buckets;
        this.podArgs = podArgs;
    }

    /** Runs the lifecycle for {@code sessionJobs} (name to rendered FlinkSessionJob). */
    void run(Map<String, JsonNode> sessionJobs) throws Exception {
        // The cluster's savepoint directory, as the operator reads it from the configuration.
        String savepointDir = clusterConfig().get("execution.checkpointing.savepoint-dir");
        SessionJobOperator operator =
                new SessionJobOperator(
                        rest, repository, work.resolve("operator-artifacts"), podArgs);

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
        assertThat(running()).containsExactlyInAnyOrderElementsOf(jobIds.values());
        assertThat(rest.jars()).as("the operator deletes each jar after the run").isEmpty();
        for (String jobId : jobIds.values()) {
            awaitCompletedCheckpoint(jobId);
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
        assertThat(running()).containsExactlyInAnyOrderElementsOf(jobIds.values());
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
        assertThat(running()).isEmpty();
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

    private List<String> running() throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode job : rest.jobsOverview().path("jobs")) {
            if ("RUNNING".equals(job.path("state").asText())) {
                ids.add(job.path("jid").asText());
            }
        }
        return ids;
    }

    private void awaitCompletedCheckpoint(String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (rest.completedCheckpoints(jobId) < 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no completed checkpoint of " + jobId);
            }
            Thread.sleep(250);
        }
    }

    private Map<String, String> clusterConfig() throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        for (JsonNode entry : rest.get("/jobmanager/config")) {
            config.put(entry.path("key").asText(), entry.path("value").asText());
        }
        return config;
    }

    private Path inBucket(String s3Path) {
        URI uri = URI.create(s3Path);
        return s3Buckets.resolve(uri.getHost()).resolve(uri.getPath().substring(1));
    }

    /** The FlinkSessionJobs of a kustomization, rendered as kubectl apply -k would send them. */
    static Map<String, JsonNode> sessionJobs(Path kustomization) {
        Map<String, JsonNode> sessionJobs = new LinkedHashMap<>();
        for (JsonNode doc : render(kustomization)) {
            if ("FlinkSessionJob".equals(doc.path("kind").asText())) {
                sessionJobs.put(doc.at("/metadata/name").asText(), doc);
            }
        }
        return sessionJobs;
    }

    /** Every document of a kustomization, as {@code kubectl kustomize} renders it. */
    static List<JsonNode> render(Path kustomization) {
        try {
            Process process =
                    new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
                            .redirectError(ProcessBuilder.Redirect.PIPE)
                            .start();
            process.getOutputStream().close();
            String yaml =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err =
                    new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + kustomization + ": " + err);
            }
            List<JsonNode> docs = new ArrayList<>();
            for (JsonNode doc :
                    YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean kubectl() {
        try {
            Process process = new ProcessBuilder("kubectl", "version", "--client").start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }
}
