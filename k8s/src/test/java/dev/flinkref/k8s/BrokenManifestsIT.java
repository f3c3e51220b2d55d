package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks reject what the API server or the operator would: each broken file, clearly. */
class BrokenManifestsIT {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"valid-control.yaml", "session-valid-control.yaml"})
    void theControlManifestsPass(String file) throws Exception {
        Path path = Path.of(getClass().getResource("/broken/" + file).toURI());
        assertThat(Manifests.checker().check(file, Yaml.documents(Files.readString(path))))
                .isEmpty();
    }

    /**
     * A FlinkSessionJob the operator would refuse, or could not run: each file is the session
     * control (a session cluster and a session job) with one mistake, caught in the session job.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "session-wrong-deployment.yaml | spec.deploymentName: no FlinkDeployment 'flink-sesion'",
                "session-application-cluster.yaml | spec.deploymentName: 'session' is an application cluster",
                "session-jar-local.yaml | spec.job.jarURI: local: names a file in the image",
                "session-jar-s3.yaml | spec.job.jarURI: scheme 's3' is not one the operator fetches",
                "session-jar-internal-host.yaml | spec.job.jarURI: host 'jars.flink-jobs.svc' is internal",
                "session-state-suspended.yaml | spec.job.state: 'suspended': a job must start running",
                "session-state-cancelled.yaml | $.spec.job.state: does not have a value in the enumeration",
                "session-cluster-key.yaml | spec.flinkConfiguration.taskmanager.numberOfTaskSlots: a setting of the session cluster",
                "session-no-savepoint-dir.yaml | spec.flinkConfiguration.execution.checkpointing.savepoint-dir: required for upgradeMode savepoint",
            })
    void aBrokenSessionJobIsRejectedNamingFileAndField(String file, String expected)
            throws Exception {
        Path path = Path.of(getClass().getResource("/broken/" + file).toURI());
        List<String> problems =
                Manifests.checker().check(file, Yaml.documents(Files.readString(path)));

        assertThat(problems)
                .as("problems found in " + file)
                .anyMatch(
                        p ->
                                p.startsWith(file + ": FlinkSessionJob/broken: ")
                                        && p.contains(expected));
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
