package dev.flinkref.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything a static look at a FlinkDeployment or FlinkSessionJob can catch before the API server
 * or the operator would: CRD schema (strict), the operator's admission rules that need no cluster,
 * and Flink 2.2 key names. Each problem names the source, the resource and the field.
 */
final class ManifestChecker {
    /** The operator's name rule for FlinkDeployments (it derives Services and ConfigMaps). */
    static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,43}[a-z0-9])?");

    /** The operator sets these itself and rejects them in flinkConfiguration. */
    private static final Set<String> FORBIDDEN_KEYS =
            Set.of("kubernetes.namespace", "kubernetes.cluster-id", "high-availability.cluster-id");

    private static final String CHECKPOINT_DIR = "execution.checkpointing.dir";
    private static final String SAVEPOINT_DIR = "execution.checkpointing.savepoint-dir";

    private final CrdSchemas schemas;
    private final FlinkConfigKeys keys;

    ManifestChecker(CrdSchemas schemas, FlinkConfigKeys keys) {
        this.schemas = schemas;
        this.keys = keys;
    }

    /** Problems of every resource in {@code documents}, each prefixed with {@code source}. */
    List<String> check(String source, List<JsonNode> documents) {
        List<String> problems = new ArrayList<>();
        for (JsonNode resource : documents) {
            String where =
                    source
                            + ": "
                            + resource.path("kind").asText()
                            + "/"
                            + resource.at("/metadata/name").asText()
                            + ": ";
            schemas.validate(resource).forEach(message -> problems.add(where + message));
            if ("FlinkDeployment".equals(resource.path("kind").asText())) {
                admissionRules(resource).forEach(message -> problems.add(where + message));
            }
            if ("FlinkSessionJob".equals(resource.path("kind").asText())) {
                SessionJobRules.check(resource, documents, keys)
                        .forEach(message -> problems.add(where + message));
            }
        }
        return problems;
    }

    private List<String> admissionRules(JsonNode deployment) {
        List<String> problems = new ArrayList<>();
        JsonNode spec = deployment.path("spec");
        JsonNode config = spec.path("flinkConfiguration");

        String name = deployment.at("/metadata/name").asText();
        if (!NAME.matcher(name).matches()) {
            problems.add(
                    "metadata.name: '" + name + "' must match " + NAME + " (at most 45 chars)");
        }
        if (!"v2_2".equals(spec.path("flinkVersion").asText())) {
            problems.add("spec.flinkVersion: must be v2_2, the Flink the jobs are built against");
        }
        if (spec.path("image").asText().isBlank()) {
            problems.add("spec.image: missing");
        }
        if (spec.path("serviceAccount").asText().isBlank()) {
            problems.add("spec.serviceAccount: missing (the JobManager needs it to manage pods)");
        }

        problems.addAll(configurationKeys(config, keys));

        JsonNode job = spec.path("job");
        problems.addAll(snapshotDirectories(job, config));
        if (spec.at("/jobManager/replicas").asInt(1) > 1
                && config.path("high-availability.type").asText("NONE").equalsIgnoreCase("NONE")) {
            problems.add("spec.jobManager.replicas: more than 1 needs high-availability.type");
        }
        // Without a job section it is a session cluster: its jobs are FlinkSessionJobs.
        if (!job.isMissingNode()) {
            if (!job.path("jarURI").asText().startsWith("local:///")) {
                problems.add("spec.job.jarURI: must be local:/// (the jar is in the image)");
            }
            int slots = config.path("taskmanager.numberOfTaskSlots").asInt(1);
            JsonNode replicas = spec.at("/taskManager/replicas");
            int parallelism = job.path("parallelism").asInt(1);
            if (replicas.isInt() && parallelism > replicas.asInt() * slots) {
                problems.add(
                        "spec.job.parallelism: "
                                + parallelism
                                + " exceeds taskManager.replicas x taskmanager.numberOfTaskSlots = "
                                + replicas.asInt() * slots);
            }
        }
        return problems;
    }

    /** Flat keys, none the operator sets itself, each one Flink 2.2 or the operator knows. */
    static List<String> configurationKeys(JsonNode config, FlinkConfigKeys keys) {
        List<String> problems = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (FORBIDDEN_KEYS.contains(key)) {
                problems.add(
                        "spec.flinkConfiguration." + key + ": set by the operator, not allowed");
            } else if (field.getValue().isContainerNode()) {
                problems.add(
                        "spec.flinkConfiguration." + key + ": use flat keys with scalar values");
            } else {
                keys.problem(key)
                        .ifPresent(p -> problems.add("spec.flinkConfiguration." + key + ": " + p));
            }
        }
        return problems;
    }

    /**
     * The operator's rules for a job's upgrade mode and savepoints, against the configuration the
     * job runs with (for a session job: the session cluster's, with its own on top).
     */
    static List<String> snapshotDirectories(JsonNode job, JsonNode config) {
        List<String> problems = new ArrayList<>();
        String upgradeMode = job.path("upgradeMode").asText("stateless");
        if (!"stateless".equals(upgradeMode) && !config.has(CHECKPOINT_DIR)) {
            problems.add(
                    "spec.flinkConfiguration."
                            + CHECKPOINT_DIR
                            + ": required for upgradeMode "
                            + upgradeMode);
        }
        if ("savepoint".equals(upgradeMode) && !config.has(SAVEPOINT_DIR)) {
            problems.add(
                    "spec.flinkConfiguration."
                            + SAVEPOINT_DIR
                            + ": required for upgradeMode savepoint");
        }
        String periodic = config.path("kubernetes.operator.periodic.savepoint.interval").asText("");
        if (!periodic.isBlank()
                && !periodic.matches("0+\\s*[a-z]*")
                && !config.has(SAVEPOINT_DIR)) {
            problems.add(
                    "spec.flinkConfiguration."
                            + SAVEPOINT_DIR
                            + ": required for periodic savepoints");
        }
        return problems;
    }
}
