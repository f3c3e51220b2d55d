package dev.flinkref.common.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;

class JobEnvironmentTest {
    @Test
    void anEmptyClusterConfigurationGetsEveryDefault() {
        Configuration missing = JobEnvironment.missingDefaults(new Configuration());

        assertThat(missing.toMap())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "execution.checkpointing.interval", "10 s",
                                "execution.checkpointing.timeout", "1 min",
                                "execution.checkpointing.tolerable-failed-checkpoints", "3",
                                "execution.checkpointing.mode", "EXACTLY_ONCE",
                                "state.backend.type", "rocksdb",
                                "execution.checkpointing.incremental", "true",
                                "execution.checkpointing.externalized-checkpoint-retention",
                                        "RETAIN_ON_CANCELLATION",
                                "pipeline.max-parallelism", "720",
                                "pipeline.generic-types", "false"));
    }

    @Test
    void theMaxParallelismDividesEveryParallelismTheAutoscalerMayPickButSevenAndEleven() {
        int maxParallelism = JobEnvironment.defaults().get(PipelineOptions.MAX_PARALLELISM);

        for (int parallelism = 1; parallelism <= 12; parallelism++) {
            if (parallelism != 7 && parallelism != 11) {
                assertThat(maxParallelism % parallelism).as("720 %% %d", parallelism).isZero();
            }
        }
        assertThat(maxParallelism)
                .as("more than Flink's implicit 128, within its upper bound")
                .isGreaterThan(128)
                .isLessThanOrEqualTo(1 << 15);
    }

    @Test
    void aClusterMaxParallelismWinsSoOldStateKeepsItsKeyGroups() {
        Configuration cluster = Configuration.fromMap(Map.of("pipeline.max-parallelism", "128"));

        assertThat(JobEnvironment.missingDefaults(cluster).toMap())
                .doesNotContainKey("pipeline.max-parallelism");
    }

    @Test
    void theClusterConfigurationAlwaysWins() {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMinutes(1));
        cluster.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        cluster.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, false);

        Configuration missing = JobEnvironment.missingDefaults(cluster);

        assertThat(missing.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEmpty();
        assertThat(missing.getOptional(StateBackendOptions.STATE_BACKEND)).isEmpty();
        assertThat(missing.getOptional(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isEmpty();
        assertThat(missing.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(missing.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    }

    @Test
    void aKeySetUnderItsYamlNameCountsAsSet() {
        Configuration cluster =
                Configuration.fromMap(
                        Map.of(
                                "execution.checkpointing.interval", "1 s",
                                "execution.checkpointing.mode", "AT_LEAST_ONCE"));

        Configuration missing = JobEnvironment.missingDefaults(cluster);

        assertThat(missing.toMap())
                .doesNotContainKeys(
                        "execution.checkpointing.interval", "execution.checkpointing.mode");
    }
}
