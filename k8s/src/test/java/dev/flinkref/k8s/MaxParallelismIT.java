package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkref.common.env.JobEnvironment;
import java.util.List;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rendered FlinkDeployment states the jobs' own max parallelism ({@link
 * JobEnvironment#defaults()}), and every parallelism it configures fits into it: a cluster value
 * wins over the job's default, so a manifest drifting from the code would silently change the key
 * groups that all later state is frozen with.
 */
class MaxParallelismIT {
    private static final String AUTOSCALER_MAX = "job.autoscaler.vertex.max-parallelism";

    @ParameterizedTest
    @ValueSource(strings = {"overlays/local", "overlays/prod"})
    void manifestsSetTheJobsMaxParallelismAndParallelismsThatDivideIt(String overlay)
            throws Exception {
        int jobDefault = JobEnvironment.defaults().get(PipelineOptions.MAX_PARALLELISM);
        List<JsonNode> deployments =
                Manifests.ofKind(
                        Kustomize.render(RepoPaths.root().resolve("k8s").resolve(overlay)),
                        "FlinkDeployment");

        assertThat(deployments).isNotEmpty();
        for (JsonNode deployment : deployments) {
            String where = "k8s/" + overlay + " " + deployment.at("/metadata/name").asText();
            JsonNode config = deployment.at("/spec/flinkConfiguration");
            assertThat(config.path(PipelineOptions.MAX_PARALLELISM.key()).asText())
                    .as(where + ": " + PipelineOptions.MAX_PARALLELISM.key())
                    .isEqualTo(String.valueOf(jobDefault));

            // Key groups spread evenly only over a parallelism that divides their number.
            int parallelism = deployment.at("/spec/job/parallelism").asInt();
            assertThat(jobDefault % parallelism)
                    .as(where + ": spec.job.parallelism %d divides %d", parallelism, jobDefault)
                    .isZero();
            if (config.has(AUTOSCALER_MAX)) {
                int autoscalerMax = Integer.parseInt(config.path(AUTOSCALER_MAX).asText());
                assertThat(autoscalerMax)
                        .as(where + ": " + AUTOSCALER_MAX)
                        .isLessThanOrEqualTo(jobDefault);
                assertThat(jobDefault % autoscalerMax)
                        .as(where + ": %s %d divides %d", AUTOSCALER_MAX, autoscalerMax, jobDefault)
                        .isZero();
            }
        }
    }
}
