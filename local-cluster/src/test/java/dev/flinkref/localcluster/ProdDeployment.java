package dev.flinkref.localcluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * One FlinkDeployment of the rendered prod overlay ({@code kubectl kustomize k8s/overlays/prod}),
 * or of a session overlay: what the container tests take from it instead of retyping it: the
 * flinkConfiguration, the job (entry class, jarURI, arguments, parallelism; blank and 0 for a
 * session cluster), the pods' memory, environment variable names, emptyDir volumes (name to mount
 * path; those mounted read-only), volume claims (name to mount path), init containers and the
 * security context.
 */
record ProdDeployment(
        String name,
        Map<String, String> flinkConfiguration,
        String entryClass,
        String jarUri,
        List<String> args,
        int parallelism,
        String jobManagerMemory,
        String taskManagerMemory,
        List<String> envNames,
        Map<String, String> emptyDirs,
        List<String> securityFlags,
        List<String> readOnlyVolumes,
        Map<String, String> volumeClaims,
        List<InitContainer> initContainers) {

    /**
     * An init container of the pod: its command (Kubernetes' {@code command} replaces the image's
     * entry point), its volume mounts (name to path) and security flags.
     */
    record InitContainer(
            String name, List<String> command, Map<String, String> mounts, List<String> flags) {}

    static List<ProdDeployment> render(Path repoRoot) throws Exception {
        List<ProdDeployment> deployments = new ArrayList<>();
        for (JsonNode doc : ProdOverlay.flinkDeployments(repoRoot)) {
            deployments.add(of(doc));
        }
        return deployments;
    }

    static ProdDeployment named(Path repoRoot, String name) throws Exception {
        return render(repoRoot).stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no FlinkDeployment " + name));
    }

    static ProdDeployment of(JsonNode doc) {
        JsonNode spec = doc.path("spec");
        Map<String, String> configuration = ProdOverlay.flinkConfiguration(doc);
        JsonNode job = spec.path("job");
        List<String> args = new ArrayList<>();
        job.path("args").forEach(arg -> args.add(arg.asText()));

        JsonNode pod = spec.path("podTemplate").path("spec");
        JsonNode container = null;
        for (JsonNode candidate : pod.path("containers")) {
            if (candidate.path("name").asText().equals("flink-main-container")) {
                container = candidate;
            }
        }
        if (container == null) {
            throw new IllegalStateException("no flink-main-container in " + doc.at("/metadata"));
        }
        List<String> env = new ArrayList<>();
        container.path("env").forEach(e -> env.add(e.path("name").asText()));
        Map<String, String> emptyDirs = new LinkedHashMap<>();
        Map<String, String> claims = new LinkedHashMap<>();
        List<String> readOnly = new ArrayList<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            for (JsonNode volume : pod.path("volumes")) {
                if (!volume.path("name").equals(mount.path("name"))) {
                    continue;
                }
                String name = mount.path("name").asText();
                if (volume.has("emptyDir")) {
                    emptyDirs.put(name, mount.path("mountPath").asText());
                } else if (volume.has("persistentVolumeClaim")) {
                    claims.put(name, mount.path("mountPath").asText());
                }
                if (mount.path("readOnly").asBoolean(false)) {
                    readOnly.add(name);
                }
            }
        }
        List<InitContainer> inits = new ArrayList<>();
        for (JsonNode init : pod.path("initContainers")) {
            List<String> command = new ArrayList<>();
            init.path("command").forEach(part -> command.add(part.asText()));
            init.path("args").forEach(part -> command.add(part.asText()));
            Map<String, String> mounts = new LinkedHashMap<>();
            init.path("volumeMounts")
                    .forEach(
                            mount ->
                                    mounts.put(
                                            mount.path("name").asText(),
                                            mount.path("mountPath").asText()));
            inits.add(
                    new InitContainer(
                            init.path("name").asText(),
                            command,
                            mounts,
                            securityFlags(
                                    pod.path("securityContext"), init.path("securityContext"))));
        }
        return new ProdDeployment(
                doc.at("/metadata/name").asText(),
                configuration,
                job.path("entryClass").asText(),
                job.path("jarURI").asText(),
                args,
                job.path("parallelism").asInt(),
                spec.at("/jobManager/resource/memory").asText(),
                spec.at("/taskManager/resource/memory").asText(),
                env,
                emptyDirs,
                securityFlags(pod.path("securityContext"), container.path("securityContext")),
                readOnly,
                claims,
                inits);
    }

    /** {@code docker run} flags for what the pod and container security contexts demand. */
    private static List<String> securityFlags(JsonNode pod, JsonNode container) {
        List<String> flags = new ArrayList<>();
        if (container.path("readOnlyRootFilesystem").asBoolean(false)) {
            flags.add("--read-only");
        }
        if (pod.has("runAsUser")) {
            flags.add("--user");
            flags.add(
                    pod.path("runAsUser").asText()
                            + (pod.has("runAsGroup") ? ":" + pod.path("runAsGroup").asText() : ""));
        }
        if (pod.has("fsGroup")) {
            flags.add("--group-add");
            flags.add(pod.path("fsGroup").asText());
        }
        for (JsonNode capability : container.at("/capabilities/drop")) {
            flags.add("--cap-drop");
            flags.add(capability.asText());
        }
        if (!container.path("allowPrivilegeEscalation").asBoolean(true)) {
            flags.add("--security-opt");
            flags.add("no-new-privileges");
        }
        // seccompProfile RuntimeDefault: Docker applies its default seccomp profile anyway.
        return flags;
    }
}
