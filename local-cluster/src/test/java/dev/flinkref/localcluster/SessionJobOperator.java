package dev.flinkref.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the Flink Kubernetes Operator does for a FlinkSessionJob, with the same REST calls, against
 * a session cluster (read from apache/flink-kubernetes-operator: ArtifactManager, and
 * AbstractFlinkService's uploadJar, runJar, cancelSessionJob):
 *
 * <ul>
 *   <li>deploy: fetch the jarURI into the operator's own artifacts directory ({@code
 *       <base>/<namespace>/<deploymentName>/<name>/<file name of the URI>}), POST /jars/upload,
 *       delete the local copy, POST /jars/:id/run with the spec's entry class, args and
 *       parallelism, a job id the operator chose, the savepoint to start from (claim mode NO_CLAIM,
 *       Flink's default) and the job's configuration, then DELETE /jars/:id;
 *   <li>savepoint upgrade (upgradeMode savepoint): stop the job with a savepoint (POST
 *       /jobs/:id/stop, not draining) into the cluster's savepoint directory, then deploy the new
 *       spec from it;
 *   <li>deletion: with {@code kubernetes.operator.job.savepoint-on-deletion} the same stop with a
 *       savepoint, otherwise a cancel.
 * </ul>
 *
 * The operator fetches over https from a public host; here the {@link JarRepository} serves the
 * same path on loopback http (the scheme and host policy is checked offline, in k8s/).
 */
final class SessionJobOperator {
    private final FlinkRestClient rest;
    private final JarRepository repository;
    private final Path artifactsDir;
    private final List<String> podArgs;
    private String lastFetchedSha256 = "";

    /**
     * {@code podArgs} stand in for the pod's environment: in Kubernetes the session cluster's pods
     * give every job KAFKA_BOOTSTRAP_SERVERS; the local JobManager process has no such variable.
     */
    SessionJobOperator(
            FlinkRestClient rest,
            JarRepository repository,
            Path artifactsDir,
            List<String> podArgs) {
        this.rest = rest;
        this.repository = repository;
        this.artifactsDir = artifactsDir;
        this.podArgs = podArgs;
    }

    /** Submits the session job (from {@code savepoint} if given); returns its job id. */
    String deploy(JsonNode sessionJob, Optional<String> savepoint) throws Exception {
        JsonNode spec = sessionJob.path("spec");
        JsonNode job = spec.path("job");
        Path jar = fetch(sessionJob, job.path("jarURI").asText());
        String jarId;
        try {
            jarId = rest.uploadJar(jar);
        } finally {
            Files.delete(jar);
        }
        // The operator picks the job id itself and sends it along, so it knows the job before the
        // cluster answers, and finds it again after a failed or repeated submission.
        String jobId = UUID.randomUUID().toString().replace("-", "");
        ObjectNode request = FlinkRestClient.newRequest();
        request.put("entryClass", job.path("entryClass").asText());
        List<String> args = new ArrayList<>();
        job.path("args").forEach(arg -> args.add(arg.asText()));
        args.addAll(podArgs);
        args.forEach(request.putArray("programArgsList")::add);
        if (job.path("parallelism").asInt(0) > 0) {
            request.put("parallelism", job.path("parallelism").asInt());
        }
        request.put("jobId", jobId);
        if (job.has("allowNonRestoredState")) {
            request.put("allowNonRestoredState", job.path("allowNonRestoredState").asBoolean());
        }
        savepoint.ifPresent(
                path -> {
                    request.put("savepointPath", path);
                    request.put("claimMode", "NO_CLAIM");
                });
        // The job's own configuration goes with the run request (Flink 1.17+); the operator's
        // keys are for the operator, Flink would only ignore them.
        ObjectNode configuration = request.putObject("flinkConfiguration");
        spec.path("flinkConfiguration")
                .fields()
                .forEachRemaining(
                        field -> {
                            String key = field.getKey();
                            if (!key.startsWith("kubernetes.operator.")
                                    && !key.startsWith("job.autoscaler.")) {
                                configuration.put(key, field.getValue().asText());
                            }
                        });
        try {
            String submitted = rest.runJar(jarId, request);
            if (!jobId.equals(submitted)) {
                throw new IllegalStateException(
                        "the cluster ran job " + submitted + ", not the chosen " + jobId);
            }
        } finally {
            rest.deleteJar(jarId);
        }
        return jobId;
    }

    /** A savepoint upgrade to {@code newSpec}: stop with a savepoint, deploy from it. */
    Upgrade upgrade(JsonNode newSpec, String jobId, String savepointDir) throws Exception {
        String savepoint = rest.stopWithSavepoint(jobId, savepointDir, false);
        rest.awaitState(jobId, "FINISHED", Duration.ofMinutes(1));
        return new Upgrade(savepoint, deploy(newSpec, Optional.of(savepoint)));
    }

    record Upgrade(String savepoint, String jobId) {}

    /** Deleting the resource: returns the savepoint when the job takes one on deletion. */
    Optional<String> delete(JsonNode sessionJob, String jobId, String savepointDir)
            throws Exception {
        boolean savepointOnDeletion =
                sessionJob
                        .at("/spec/flinkConfiguration")
                        .path("kubernetes.operator.job.savepoint-on-deletion")
                        .asBoolean(false);
        if (savepointOnDeletion) {
            String savepoint = rest.stopWithSavepoint(jobId, savepointDir, false);
            rest.awaitState(jobId, "FINISHED", Duration.ofMinutes(1));
            return Optional.of(savepoint);
        }
        rest.cancel(jobId);
        rest.awaitState(jobId, "CANCELED", Duration.ofMinutes(1));
        return Optional.empty();
    }

    /** The sha256 of the jar the last deploy fetched. */
    String lastFetchedSha256() {
        return lastFetchedSha256;
    }

    private Path fetch(JsonNode sessionJob, String jarUri) throws Exception {
        Path dir =
                artifactsDir
                        .resolve(sessionJob.at("/metadata/namespace").asText("default"))
                        .resolve(sessionJob.at("/spec/deploymentName").asText())
                        .resolve(sessionJob.at("/metadata/name").asText());
        Files.createDirectories(dir);
        Path target = dir.resolve(Path.of(URI.create(jarUri).getPath()).getFileName());
        HttpResponse<InputStream> response =
                Http.CLIENT.send(
                        HttpRequest.newBuilder(URI.create(repository.localUrl(jarUri)))
                                .timeout(Duration.ofMinutes(1))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + jarUri + ": " + response.statusCode());
            }
            Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
        }
        lastFetchedSha256 = sha256(target);
        return target;
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
