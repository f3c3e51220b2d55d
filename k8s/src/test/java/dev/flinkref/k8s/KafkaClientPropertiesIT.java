package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The opt-in component {@code components/kafka-client-properties}: in either overlay, both jobs get
 * the Secret's {@code client.properties} through {@code --kafka-properties}, mounted read-only, and
 * no credential is rendered into a manifest.
 */
class KafkaClientPropertiesIT {
    private static final String COMPONENT = "components/kafka-client-properties";
    private static final String SECRET = "kafka-client-properties";

    @TempDir Path work;

    @ParameterizedTest
    @ValueSource(strings = {"overlays/local", "overlays/prod"})
    void bothJobsReadTheSecretsClientPropertiesFile(String overlay) throws Exception {
        Path example = work.resolve("client.properties");
        Files.writeString(example, exampleSecret().at("/stringData/client.properties").asText());
        List<JsonNode> documents = Kustomize.render(overlayWithComponent(overlay));

        assertThat(Manifests.checker().check(overlay + " + " + COMPONENT, documents)).isEmpty();
        assertThat(Manifests.ofKind(documents, "Secret")).isEmpty();
        List<JsonNode> deployments = Manifests.ofKind(documents, "FlinkDeployment");
        assertThat(deployments)
                .extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrderElementsOf(Job.names());
        for (JsonNode deployment : deployments) {
            List<String> args = texts(deployment.at("/spec/job/args"));
            assertThat(args).containsOnlyOnce("--kafka-properties");
            String file = args.get(args.indexOf("--kafka-properties") + 1);

            JsonNode pod = deployment.at("/spec/podTemplate/spec");
            JsonNode volume = named(pod.path("volumes"), "kafka-client");
            assertThat(volume.at("/secret/secretName").asText()).isEqualTo(SECRET);
            assertThat(volume.at("/secret/defaultMode").asInt())
                    .as("readable by the flink group only")
                    .isEqualTo(0440);
            JsonNode mount = named(pod.at("/containers/0/volumeMounts"), "kafka-client");
            assertThat(mount.path("readOnly").asBoolean()).isTrue();
            assertThat(file).isEqualTo(mount.path("mountPath").asText() + "/client.properties");

            // The example Secret's file, where the pod has it, passes the job's own parser
            // (which rejects unknown Kafka settings and invalid values).
            ObjectNode spec = (ObjectNode) deployment.path("spec").deepCopy();
            ((ArrayNode) spec.at("/job/args"))
                    .set(args.indexOf(file), TextNode.valueOf(example.toString()));
            Job job = Job.named(deployment.at("/metadata/name").asText());
            CrossArtifactIT.assertArgsAccepted(
                    overlay + " + " + COMPONENT, job.shadedJar(), job.entryClass(), spec);
        }
    }

    @Test
    void theExampleSecretIsNotAppliedAndHoldsOnlyKafkaClientSettings() throws Exception {
        Path component = RepoPaths.root().resolve("k8s").resolve(COMPONENT);
        JsonNode kustomization =
                Yaml.documents(Files.readString(component.resolve("kustomization.yaml"))).get(0);
        assertThat(kustomization.has("resources")).as("the component adds no resources").isFalse();
        assertThat(kustomization.findValuesAsText("path"))
                .containsExactly("kafka-client-properties.yaml");

        JsonNode secret = exampleSecret();
        assertThat(secret.at("/metadata/name").asText()).isEqualTo(SECRET);
        Properties properties = new Properties();
        properties.load(new StringReader(secret.at("/stringData/client.properties").asText()));

        Set<String> known = new TreeSet<>(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        assertThat(properties.stringPropertyNames()).isNotEmpty().allMatch(known::contains);
        assertThat(properties.getProperty("ssl.truststore.location"))
                .as("files of the Secret are next to client.properties")
                .startsWith("/opt/flink/kafka-client/");

        // Kafka loads the login module by name from the job's classes (the shaded jar).
        String loginModule = properties.getProperty("sasl.jaas.config").split(" ")[0];
        for (Job job : Job.all()) {
            try (JarFile jar = new JarFile(job.shadedJar().toFile())) {
                assertThat(jar.getEntry(loginModule.replace('.', '/') + ".class"))
                        .as(loginModule + " in " + job.name() + ".jar")
                        .isNotNull();
            }
        }
    }

    private static JsonNode exampleSecret() throws Exception {
        Path file =
                RepoPaths.root()
                        .resolve("k8s")
                        .resolve(COMPONENT)
                        .resolve("kafka-client-properties.example.yaml");
        return Yaml.documents(Files.readString(file, StandardCharsets.UTF_8)).get(0);
    }

    /** A kustomization beside the module's build output: overlay + component, as a user adds it. */
    private static Path overlayWithComponent(String overlay) throws Exception {
        Path k8s = RepoPaths.root().resolve("k8s");
        Path dir = k8s.resolve("target/kustomize-" + overlay.replace('/', '-') + "-kafka-client");
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("kustomization.yaml"),
                String.join(
                        "\n",
                        "apiVersion: kustomize.config.k8s.io/v1beta1",
                        "kind: Kustomization",
                        "resources:",
                        "  - " + dir.relativize(k8s.resolve(overlay)),
                        "components:",
                        "  - " + dir.relativize(k8s.resolve(COMPONENT)),
                        ""));
        return dir;
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (name.equals(item.path("name").asText())) {
                return item;
            }
        }
        throw new AssertionError("no entry named " + name + " in " + list);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
