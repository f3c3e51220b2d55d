package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session mode renders: one session cluster and every job as a FlinkSessionJob on it, all of it
 * accepted by the CRDs and the operator's rules for session jobs ({@link SessionJobRules}).
 */
class SessionModeIT {
    private static final String IMAGE =
            "flink:" + System.getProperty("flink.version", "2.2.0") + "-scala_2.12-java17";

    private static List<JsonNode> render(String overlay) throws Exception {
        return Kustomize.render(RepoPaths.root().resolve("k8s/session/overlays").resolve(overlay));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "prod"})
    void oneSessionClusterRunsEveryJob(String overlay) throws Exception {
        List<JsonNode> documents = render(overlay);

        assertThat(Manifests.checker().check("session/overlays/" + overlay, documents)).isEmpty();
        List<JsonNode> clusters = Manifests.ofKind(documents, "FlinkDeployment");
        assertThat(clusters).as("one FlinkDeployment: the session cluster").hasSize(1);
        JsonNode cluster = clusters.get(0);
        assertThat(cluster.at("/spec/job").isMissingNode()).as("no job section").isTrue();
        List<JsonNode> sessionJobs = Manifests.ofKind(documents, "FlinkSessionJob");
        assertThat(sessionJobs)
                .extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrderElementsOf(Job.names());
        for (JsonNode sessionJob : sessionJobs) {
            String name = sessionJob.at("/metadata/name").asText();
            JsonNode job = sessionJob.at("/spec/job");
            assertThat(sessionJob.at("/spec/deploymentName").asText())
                    .isEqualTo(cluster.at("/metadata/name").asText());
            assertThat(job.path("entryClass").asText()).isEqualTo(Job.named(name).entryClass());
            URI jar = URI.create(job.path("jarURI").asText());
            assertThat(jar.getScheme()).isEqualTo("https");
            // <repository>/<job>/<version>/<job>.jar, as scripts/session-jobs publishes them.
            assertThat(jar.getPath()).matches(".*/" + name + "/[^/]+/" + name + "\\.jar");
            assertThat(jar.toString()).doesNotContain("JAR_REPOSITORY", "VERSION");
            assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
            assertThat(
                            sessionJob
                                    .at("/spec/flinkConfiguration")
                                    .path("kubernetes.operator.job.savepoint-on-deletion")
                                    .asText())
                    .as("%s: deleting it stops the job with a savepoint", name)
                    .isEqualTo("true");
        }
        assertThat(documents)
                .extracting(d -> d.path("kind").asText())
                .contains(
                        "Namespace",
                        "ServiceAccount",
                        "Role",
                        "RoleBinding",
                        "PodMonitor",
                        "NetworkPolicy",
                        "ConfigMap");
        assertThat(Manifests.ofKind(documents, "ConfigMap"))
                .extracting(d -> d.at("/metadata/name").asText())
                .as("job-jars is local-config: read by kustomize, not deployed")
                .doesNotContain("job-jars");
    }

    /**
     * The session cluster runs the official image, unchanged: jobs reach it over REST. The S3
     * plugin, in opt/ there, is copied into an emptyDir under plugins/ by an init container of the
     * same image, so the root filesystem stays read-only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"local", "prod"})
    void theSessionClusterRunsTheOfficialImageLockedDown(String overlay) throws Exception {
        JsonNode cluster = Manifests.ofKind(render(overlay), "FlinkDeployment").get(0);
        JsonNode pod = cluster.at("/spec/podTemplate/spec");
        JsonNode container = pod.at("/containers/0");

        assertThat(cluster.at("/spec/image").asText()).isEqualTo(IMAGE);
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/capabilities/drop").toString())
                .isEqualTo("[\"ALL\"]");
        assertThat(container.path("volumeMounts").findValuesAsText("mountPath"))
                .contains("/tmp", "/opt/flink/log", "/opt/flink/plugins/s3-fs-hadoop");
        JsonNode init = pod.at("/initContainers/0");
        assertThat(init.path("image").asText()).isEqualTo(IMAGE);
        assertThat(init.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(init.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(init.path("command").toString()).contains("/opt/flink/opt/flink-s3-fs-hadoop-");
    }

    @Test
    void prodKeepsStateOnS3WithHaAndCredentialsFromASecret() throws Exception {
        List<JsonNode> documents = render("prod");
        JsonNode cluster = Manifests.ofKind(documents, "FlinkDeployment").get(0);
        JsonNode config = cluster.at("/spec/flinkConfiguration");

        assertThat(Manifests.ofKind(documents, "Secret")).isEmpty();
        assertThat(config.path("execution.checkpointing.dir").asText()).startsWith("s3://");
        assertThat(config.path("execution.checkpointing.savepoint-dir").asText())
                .startsWith("s3://");
        assertThat(config.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(config.has("s3.access-key")).isFalse();
        assertThat(cluster.at("/spec/podTemplate/spec/containers/0/env").findValuesAsText("name"))
                .contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "KAFKA_BOOTSTRAP_SERVERS");
        for (JsonNode sessionJob : Manifests.ofKind(documents, "FlinkSessionJob")) {
            assertThat(sessionJob.at("/spec/job/parallelism").asInt()).isEqualTo(4);
        }
    }
}
