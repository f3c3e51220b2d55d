package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every overlay renders, and everything it renders would be accepted, strictly. */
class OverlaysIT {
    @ParameterizedTest
    @ValueSource(strings = {"overlays/local", "overlays/prod"})
    void overlayIsValid(String overlay) throws Exception {
        List<JsonNode> documents =
                Kustomize.render(RepoPaths.root().resolve("k8s").resolve(overlay));

        assertThat(Manifests.ofKind(documents, "FlinkDeployment"))
                .extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrderElementsOf(Job.names());
        assertThat(Manifests.checker().check(overlay, documents)).isEmpty();
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
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/local", "overlays/prod"})
    void podsRunAsNonRootWithoutPrivileges(String overlay) throws Exception {
        for (JsonNode deployment :
                Manifests.ofKind(
                        Kustomize.render(RepoPaths.root().resolve("k8s").resolve(overlay)),
                        "FlinkDeployment")) {
            JsonNode pod = deployment.at("/spec/podTemplate/spec");
            JsonNode container = pod.at("/containers/0");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(container.path("name").asText()).isEqualTo("flink-main-container");
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
                    .isFalse();
            assertThat(container.at("/securityContext/capabilities/drop").toString())
                    .isEqualTo("[\"ALL\"]");
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                    .isTrue();
            assertThat(container.path("volumeMounts").findValuesAsText("mountPath"))
                    .contains("/tmp", "/opt/flink/log");
            assertThat(container.path("ports").findValuesAsText("name")).contains("metrics");
            assertThat(deployment.at("/spec/taskManager/resource/memory").asText()).isNotBlank();
            assertThat(deployment.at("/spec/jobManager/resource/memory").asText()).isNotBlank();
        }
    }

    @org.junit.jupiter.api.Test
    void prodTakesCredentialsFromASecretAndNeverFromTheManifest() throws Exception {
        List<JsonNode> documents = Kustomize.render(RepoPaths.root().resolve("k8s/overlays/prod"));

        assertThat(Manifests.ofKind(documents, "Secret")).isEmpty();
        for (JsonNode deployment : Manifests.ofKind(documents, "FlinkDeployment")) {
            JsonNode config = deployment.at("/spec/flinkConfiguration");
            assertThat(config.has("s3.access-key")).isFalse();
            assertThat(config.has("s3.secret-key")).isFalse();
            assertThat(
                            deployment
                                    .at("/spec/podTemplate/spec/containers/0/env")
                                    .findValuesAsText("name"))
                    .contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
            assertThat(deployment.at("/spec/job/upgradeMode").asText()).isEqualTo("savepoint");
            assertThat(config.path("high-availability.type").asText()).isEqualTo("kubernetes");
            assertThat(config.path("job.autoscaler.enabled").asText()).isEqualTo("false");
        }
    }

    @org.junit.jupiter.api.Test
    void monitoringRenders() throws Exception {
        List<JsonNode> documents = Kustomize.render(RepoPaths.root().resolve("k8s/monitoring"));
        assertThat(documents)
                .extracting(d -> d.path("kind").asText())
                .containsExactlyInAnyOrder("PrometheusRule", "ConfigMap");
        JsonNode rules = Manifests.ofKind(documents, "PrometheusRule").get(0);
        assertThat(rules.findValuesAsText("alert"))
                .contains(
                        "FlinkJobNotRunning",
                        "FlinkCheckpointsFailing",
                        "FlinkJobRestarting",
                        "FlinkKafkaLagGrowing",
                        "FlinkDeadLetters");
        JsonNode dashboard =
                Yaml.MAPPER.readTree(
                        Manifests.ofKind(documents, "ConfigMap")
                                .get(0)
                                .at("/data/flink-jobs-dashboard.json")
                                .asText());
        assertThat(dashboard.findValuesAsText("title"))
                .anyMatch(t -> t.startsWith("Throughput"))
                .anyMatch(t -> t.startsWith("Backpressure"))
                .anyMatch(t -> t.startsWith("Checkpoint duration"))
                .anyMatch(t -> t.startsWith("Checkpoint size"))
                .anyMatch(t -> t.startsWith("Restarts"))
                .anyMatch(t -> t.startsWith("Kafka consumer lag"))
                .anyMatch(t -> t.startsWith("Dead letters"))
                .anyMatch(t -> t.contains("alerts"));
    }
}
