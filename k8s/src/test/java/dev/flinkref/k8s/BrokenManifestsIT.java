package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checks reject what the API server or the operator would: each broken file, clearly. */
class BrokenManifestsIT {
    @Test
    void theControlManifestPasses() throws Exception {
        Path path = Path.of(getClass().getResource("/broken/valid-control.yaml").toURI());
        assertThat(
                        Manifests.checker()
                                .check(
                                        "valid-control.yaml",
                                        Yaml.documents(Files.readString(path))))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "typo-field.yaml | $.spec: property 'jobb' is not defined in the schema",
                "wrong-enum.yaml | $.spec.job.upgradeMode: does not have a value in the enumeration",
                "flink1-key.yaml | spec.flinkConfiguration.state.backend: deprecated in Flink 2.2, use state.backend.type",
                "flink1-checkpoint-key.yaml | spec.flinkConfiguration.state.checkpoints.dir: deprecated in Flink 2.2",
                "missing-savepoint-dir.yaml | spec.flinkConfiguration.execution.checkpointing.savepoint-dir: required for upgradeMode savepoint",
                "forbidden-key.yaml | spec.flinkConfiguration.kubernetes.cluster-id: set by the operator",
                "ha-replicas.yaml | spec.jobManager.replicas: more than 1 needs high-availability.type",
                "too-parallel.yaml | spec.job.parallelism: 8 exceeds taskManager.replicas x taskmanager.numberOfTaskSlots = 4",
                "operator-key-typo.yaml | spec.flinkConfiguration.kubernetes.operator.periodic.savepoints.interval: not a documented operator 1.15 key",
                "reporter-1x-class.yaml | spec.flinkConfiguration.metrics.reporter.prom.class: unknown reporter option 'class'",
                "bad-name.yaml | metadata.name: 'WordCount' must match",
                "periodic-savepoint-no-dir.yaml | spec.flinkConfiguration.execution.checkpointing.savepoint-dir: required for periodic savepoints",
            })
    void isRejectedNamingFileAndField(String file, String expected) throws Exception {
        Path path = Path.of(getClass().getResource("/broken/" + file).toURI());
        List<String> problems =
                Manifests.checker().check(file, Yaml.documents(Files.readString(path)));

        assertThat(problems)
                .as("problems found in " + file)
                .anyMatch(p -> p.startsWith(file + ": FlinkDeployment/") && p.contains(expected));
    }
}
