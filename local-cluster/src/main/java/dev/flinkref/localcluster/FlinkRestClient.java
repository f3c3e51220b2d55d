package dev.flinkref.localcluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Flink REST API calls the operator makes in Kubernetes, against the local cluster: upload and
 * run a jar, watch a job and its checkpoints, savepoints, stop-with-savepoint, cancel.
 */
public final class FlinkRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;

    public FlinkRestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Uploads a jar (POST /jars/upload, multipart field "jarfile"); returns its id. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----flinkref" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\n"
                                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\n"
                                + "Content-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode response =
                send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = response.path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** Runs an uploaded jar (POST /jars/:id/run); returns the job id. */
    public String runJar(
            String jarId,
            String entryClass,
            int parallelism,
            List<String> args,
            Optional<String> savepointPath)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode();
        if (entryClass != null) {
            request.put("entryClass", entryClass);
        }
        request.put("parallelism", parallelism);
        args.forEach(request.putArray("programArgsList")::add);
        savepointPath.ifPresent(
                path -> {
                    request.put("savepointPath", path);
                    request.put("claimMode", "NO_CLAIM");
                });
        return post("/jars/" + jarId + "/run", request).path("jobid").asText();
    }

    /**
     * Runs an uploaded jar with a request body as the caller builds it (POST /jars/:id/run), e.g.
     * with the {@code jobId} and {@code flinkConfiguration} the operator sends for a session job;
     * returns the job id.
     */
    public String runJar(String jarId, ObjectNode request)
            throws IOException, InterruptedException {
        return post("/jars/" + jarId + "/run", request).path("jobid").asText();
    }

    /** DELETE /jars/:id: the operator removes a session job's jar once the job is submitted. */
    public void deleteJar(String jarId) throws IOException, InterruptedException {
        send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/jars/" + jarId))
                        .method("DELETE", HttpRequest.BodyPublishers.noBody()));
    }

    /** The ids of the jars uploaded to the cluster and not deleted (GET /jars). */
    public List<String> jars() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        get("/jars").path("files").forEach(file -> ids.add(file.path("id").asText()));
        return ids;
    }

    public static ObjectNode newRequest() {
        return JSON.createObjectNode();
    }

    public String submit(
            Path jar,
            String entryClass,
            int parallelism,
            List<String> args,
            Optional<String> savepointPath)
            throws IOException, InterruptedException {
        return runJar(uploadJar(jar), entryClass, parallelism, args, savepointPath);
    }

    public String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Waits until the job is in {@code state}; fails early if it reaches another final state. */
    public void awaitState(String jobId, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String current = "";
        while (System.nanoTime() < deadline) {
            current = jobState(jobId);
            if (current.equals(state)) {
                return;
            }
            if (List.of("FAILED", "CANCELED", "FINISHED").contains(current)) {
                throw new IllegalStateException(
                        "job " + jobId + " is " + current + ", expected " + state);
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "job " + jobId + " not " + state + " within " + timeout + " (is " + current + ")");
    }

    /** GET /jobs/:id/checkpoints: counts, latest completed and the checkpoint restored from. */
    public JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return checkpoints(jobId).at("/counts/completed").asLong();
    }

    /** The id of the checkpoint the latest (re)start restored from, if any. */
    public Optional<Long> restoredCheckpoint(String jobId)
            throws IOException, InterruptedException {
        JsonNode restored = checkpoints(jobId).at("/latest/restored");
        return restored.isMissingNode() || restored.isNull()
                ? Optional.empty()
                : Optional.of(restored.path("id").asLong());
    }

    /** POST /jobs/:id/savepoints; waits and returns the savepoint's location. */
    public String savepoint(String jobId, String targetDirectory, boolean cancelJob)
            throws Exception {
        return awaitSavepoint(jobId, triggerSavepoint(jobId, targetDirectory, cancelJob));
    }

    /** POST /jobs/:id/savepoints without waiting; returns the trigger id. */
    public String triggerSavepoint(String jobId, String targetDirectory, boolean cancelJob)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode();
        request.put("target-directory", targetDirectory);
        request.put("cancel-job", cancelJob);
        request.put("formatType", "CANONICAL");
        return post("/jobs/" + jobId + "/savepoints", request).path("request-id").asText();
    }

    /** POST /jobs/:id/stop (note: targetDirectory, not target-directory); returns the location. */
    public String stopWithSavepoint(String jobId, String targetDirectory, boolean drain)
            throws Exception {
        return awaitSavepoint(jobId, triggerStopWithSavepoint(jobId, targetDirectory, drain));
    }

    /** POST /jobs/:id/stop without waiting; returns the trigger id. */
    public String triggerStopWithSavepoint(String jobId, String targetDirectory, boolean drain)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode();
        request.put("targetDirectory", targetDirectory);
        request.put("drain", drain);
        request.put("formatType", "CANONICAL");
        return post("/jobs/" + jobId + "/stop", request).path("request-id").asText();
    }

    public void cancel(String jobId) throws IOException, InterruptedException {
        send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    /** The ids of the TaskManagers running tasks of the job (their resource ids). */
    public List<String> taskManagersOf(String jobId) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String path =
                    "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers";
            for (JsonNode taskManager : get(path).path("taskmanagers")) {
                String id = taskManager.path("taskmanager-id").asText();
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    public JsonNode jobsOverview() throws IOException, InterruptedException {
        return get("/jobs/overview");
    }

    public int taskManagers() throws IOException, InterruptedException {
        return get("/taskmanagers").path("taskmanagers").size();
    }

    /** Waits until {@code count} TaskManagers are registered with the JobManager. */
    public void awaitTaskManagers(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taskManagers() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        taskManagers() + " of " + count + " TaskManagers registered in " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /**
     * Waits for a triggered savepoint (GET /jobs/:id/savepoints/:trigger) and returns its location;
     * a failed one throws {@link SavepointFailedException}, with a one-line message.
     */
    public String awaitSavepoint(String jobId, String trigger) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(status.at("/status/id").asText())) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    JsonNode cause = operation.path("failure-cause");
                    throw new SavepointFailedException(
                            "job " + jobId,
                            cause.has("stack-trace")
                                    ? cause.path("stack-trace").asText()
                                    : cause.toString());
                }
                return operation.path("location").asText();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("savepoint " + trigger + " of " + jobId + " timed out");
    }

    /** GET of any REST path, e.g. {@code /jobs/:id/checkpoints}. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    private JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                Http.CLIENT.send(
                        request.timeout(Duration.ofMinutes(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    response.request().method()
                            + " "
                            + response.request().uri()
                            + ": "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }
}
