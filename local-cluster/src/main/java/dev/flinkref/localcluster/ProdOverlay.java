package dev.flinkref.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The FlinkDeployments of the rendered prod overlay ({@code kubectl kustomize k8s/overlays/prod}),
 * for whatever runs locally with the settings production ships instead of retyping them: the
 * container tests (pods) and the recovery benchmark (its restart-relevant keys).
 */
public final class ProdOverlay {
    /**
     * The flinkConfiguration keys that decide how fast a job recovers from a lost TaskManager:
     * failure detection, restart back-off, the checkpoint that commits the first output after the
     * restore, local recovery, standby TaskManagers. Prefixes, or whole keys.
     */
    public static final List<String> RECOVERY_KEYS =
            List.of(
                    "heartbeat.",
                    "restart-strategy.",
                    "execution.checkpointing.interval",
                    "execution.checkpointing.min-pause",
                    "execution.checkpointing.timeout",
                    "execution.state-recovery.",
                    "state.backend.local-recovery",
                    "slotmanager.",
                    "taskmanager.slot.",
                    "slot.");

    /**
     * The flinkConfiguration keys that decide how a job with large RocksDB state runs and
     * checkpoints, besides the TaskManager's memory: unaligned checkpoints, buffer debloating and
     * the RocksDB options. Prefixes, or whole keys; not {@code state.backend.rocksdb.localdir} (a
     * pod path).
     */
    public static final List<String> STATE_KEYS =
            List.of(
                    "execution.checkpointing.unaligned.",
                    "execution.checkpointing.aligned-checkpoint-timeout",
                    "taskmanager.network.memory.buffer-debloat.",
                    "state.backend.rocksdb.use-bloom-filter",
                    "state.backend.rocksdb.bloom-filter.",
                    "state.backend.rocksdb.writebuffer.",
                    "state.backend.rocksdb.memory.",
                    "state.backend.rocksdb.compaction.",
                    "state.backend.rocksdb.thread.num");

    private ProdOverlay() {}

    /** The rendered overlay's FlinkDeployment documents. */
    public static List<JsonNode> flinkDeployments(Path repoRoot)
            throws IOException, InterruptedException {
        Path overlay = repoRoot.resolve("k8s/overlays/prod");
        Process process =
                new ProcessBuilder("kubectl", "kustomize", overlay.toString())
                        .redirectError(ProcessBuilder.Redirect.PIPE)
                        .start();
        process.getOutputStream().close();
        String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + overlay + " failed: " + err);
        }
        List<JsonNode> deployments = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        for (JsonNode doc : mapper.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (doc != null && doc.path("kind").asText().equals("FlinkDeployment")) {
                deployments.add(doc);
            }
        }
        return deployments;
    }

    /** The FlinkDeployment {@code name} of the rendered overlay (one render). */
    public static JsonNode deployment(Path repoRoot, String name)
            throws IOException, InterruptedException {
        for (JsonNode doc : flinkDeployments(repoRoot)) {
            if (doc.at("/metadata/name").asText().equals(name)) {
                return doc;
            }
        }
        throw new IllegalStateException("no FlinkDeployment " + name + " in k8s/overlays/prod");
    }

    /** The flinkConfiguration of the FlinkDeployment {@code name}, as rendered. */
    public static Map<String, String> flinkConfiguration(Path repoRoot, String name)
            throws IOException, InterruptedException {
        return flinkConfiguration(deployment(repoRoot, name));
    }

    /** The flinkConfiguration of a rendered FlinkDeployment. */
    public static Map<String, String> flinkConfiguration(JsonNode deployment) {
        Map<String, String> configuration = new LinkedHashMap<>();
        deployment
                .at("/spec/flinkConfiguration")
                .fields()
                .forEachRemaining(e -> configuration.put(e.getKey(), e.getValue().asText()));
        return configuration;
    }

    /**
     * The entries of {@code configuration} whose key is, or starts with, one of {@code keys} (e.g.
     * {@link #RECOVERY_KEYS}, {@link #STATE_KEYS}).
     */
    public static Map<String, String> select(Map<String, String> configuration, List<String> keys) {
        Map<String, String> selected = new LinkedHashMap<>();
        configuration.forEach(
                (key, value) -> {
                    if (keys.stream()
                            .anyMatch(k -> k.endsWith(".") ? key.startsWith(k) : key.equals(k))) {
                        selected.put(key, value);
                    }
                });
        return selected;
    }
}
