package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkref.common.env.JobEnvironment;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rendered FlinkDeployment states the jobs' own tolerated failed checkpoints and checkpoint
 * timeout ({@link JobEnvironment#defaults()}): how long an S3 outage is ridden out without a
 * restart must not depend on whether a job runs in Kubernetes or on a cluster that leaves them
 * unset. The jobs' defaults keep the sinks' transactions within half their timeout, as
 * CrossArtifactIT checks for the manifests.
 */
class CheckpointToleranceIT {
    @ParameterizedTest
    @ValueSource(strings = {"overlays/local", "overlays/prod"})
    void manifestsSetTheJobsToleranceAndTimeout(String overlay) throws Exception {
        Configuration jobDefaults = JobEnvironment.defaults();
        List<JsonNode> deployments =
                Manifests.ofKind(
                        Kustomize.render(RepoPaths.root().resolve("k8s").resolve(overlay)),
                        "FlinkDeployment");

        assertThat(deployments).isNotEmpty();
        for (JsonNode deployment : deployments) {
            String where = "k8s/" + overlay + " " + deployment.at("/metadata/name").asText();
            JsonNode config = deployment.at("/spec/flinkConfiguration");
            assertThat(config.path(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER.key()).asText())
                    .as(where + ": " + CheckpointingOptions.TOLERABLE_FAILURE_NUMBER.key())
                    .isEqualTo(
                            String.valueOf(
                                    jobDefaults.get(
                                            CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)));
            assertThat(
                            TimeUtils.parseDuration(
                                    config.path(CheckpointingOptions.CHECKPOINTING_TIMEOUT.key())
                                            .asText()))
                    .as(where + ": " + CheckpointingOptions.CHECKPOINTING_TIMEOUT.key())
                    .isEqualTo(jobDefaults.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT));
        }
    }

    @Test
    void theJobsDefaultsKeepTransactionsWithinHalfTheirTimeout() throws Exception {
        Configuration jobDefaults = JobEnvironment.defaults();
        Duration interval = jobDefaults.get(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        Duration timeout = jobDefaults.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        int tolerated = jobDefaults.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER);

        assertThat(interval.plus(timeout.multipliedBy(tolerated + 1)))
                .as("JobEnvironment: interval + (tolerated + 1) x timeout")
                .isLessThanOrEqualTo(CrossArtifactIT.transactionTimeout().dividedBy(2));
    }
}
