package dev.flinkref.testkit.flink;

import dev.flinkref.testkit.kafka.ConsumerRateLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.kafka.clients.admin.Admin;

/**
 * A job's real {@code main} rescaled twice on one MiniCluster, as the autoscaler or an operator
 * would: started at 4, snapshotted mid-input and restored at 12 (the autoscaler's bound in the prod
 * overlay), snapshotted again and restored at 3, which runs a bounded input to its end. The first
 * two runs read slowly ({@link ConsumerRateLimit}) so that each snapshot falls mid-input.
 */
public final class Rescaling {
    private final MiniCluster miniCluster;
    private final Path state;

    /** {@code state}: where checkpoints and savepoints go. */
    public Rescaling(MiniCluster miniCluster, Path state) {
        this.miniCluster = miniCluster;
        this.state = state;
    }

    /**
     * The integration tests' cluster with k8s/base's unaligned checkpoints, unaligned from the
     * first barrier: a retained checkpoint then holds records in flight, which a rescale must
     * redistribute too (savepoints are always aligned). Checkpoints every 200 ms: each run is
     * snapshotted right after its first one, well before the end of the input.
     */
    public Configuration clusterConfiguration() {
        Configuration config =
                ClusterConfigurations.rocksDbIncrementalEverySecond(state.resolve("checkpoints"));
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        config.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        config.set(CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT, Duration.ZERO);
        return config;
    }

    /**
     * Runs {@code main} with {@code args} at 4, then 12, then 3 from {@code snapshot}s; returns the
     * last run once its job finished, having restored from the snapshot taken at 12. {@code input}
     * has 12 partitions, read at most {@code bytesPerSecond} a source subtask until the second
     * snapshot.
     */
    public JobRun fourToTwelveToThree(
            Admin admin,
            String input,
            int bytesPerSecond,
            Snapshot snapshot,
            JobRun.Main main,
            String... args)
            throws Exception {
        Configuration config = clusterConfiguration();
        String atTwelve;
        try (ConsumerRateLimit limit =
                ConsumerRateLimit.perReader(admin, input, 12, bytesPerSecond)) {
            JobRun first = JobRun.start(miniCluster, 4, config, main, args);
            String atFour = snapshotMidInput(first, snapshot, "4");
            JobRun second =
                    JobRun.start(
                            miniCluster, 12, Snapshot.restoringFrom(config, atFour), main, args);
            atTwelve = snapshotMidInput(second, snapshot, "12");
        }
        JobRun third =
                JobRun.start(miniCluster, 3, Snapshot.restoringFrom(config, atTwelve), main, args);
        JobID thirdId = third.awaitRunning();
        third.awaitCompletion(Duration.ofMinutes(5));
        if (third.checkpointStats(thirdId).getLatestRestoredCheckpoint() == null) {
            throw new AssertionError("the last run did not restore from the snapshot at 12");
        }
        return third;
    }

    private String snapshotMidInput(JobRun job, Snapshot snapshot, String parallelism)
            throws Exception {
        JobID jobId = job.awaitRunning();
        job.awaitCompletedCheckpoint(jobId);
        return snapshot.take(
                miniCluster, job, jobId, Files.createDirectories(state.resolve("p" + parallelism)));
    }
}
