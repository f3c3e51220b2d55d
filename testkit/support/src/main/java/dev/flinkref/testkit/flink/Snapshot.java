package dev.flinkref.testkit.flink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.util.ExceptionUtils;

/**
 * The two ways a running job's state leaves it for a new job (an upgrade, a rescale): a savepoint
 * taken as the job stops, or the latest checkpoint retained when the job is cancelled (what the
 * operator's last-state mode and a manual restore use).
 */
public enum Snapshot {
    /** Stop-with-savepoint, canonical format, as the operator's savepoint upgrade mode does. */
    SAVEPOINT {
        @Override
        public String take(MiniCluster miniCluster, JobRun job, JobID jobId, Path directory)
                throws Exception {
            String path =
                    miniCluster
                            .stopWithSavepoint(
                                    jobId,
                                    directory.toUri().toString(),
                                    false,
                                    SavepointFormatType.CANONICAL)
                            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            job.awaitCompletion(WAIT);
            return path;
        }
    },

    /**
     * Cancel; the latest completed checkpoint stays (the jobs retain checkpoints on cancellation).
     * Callers wait for a completed checkpoint first ({@link JobRun#awaitCompletedCheckpoint}).
     */
    RETAINED_CHECKPOINT {
        @Override
        public String take(MiniCluster miniCluster, JobRun job, JobID jobId, Path directory)
                throws Exception {
            miniCluster.cancelJob(jobId).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            try {
                job.awaitCompletion(WAIT);
                throw new AssertionError("main returned normally from a cancelled job");
            } catch (ExecutionException e) {
                if (ExceptionUtils.findThrowable(e, JobCancellationException.class).isEmpty()) {
                    throw e;
                }
            }
            CompletedCheckpointStats latest =
                    job.checkpointStats(jobId).getHistory().getLatestCompletedCheckpoint();
            if (latest == null || latest.getExternalPath() == null) {
                throw new AssertionError("the cancelled job retained no completed checkpoint");
            }
            return latest.getExternalPath();
        }
    };

    private static final Duration WAIT = Duration.ofMinutes(2);

    /** Takes the snapshot; the job has ended when this returns. */
    public abstract String take(MiniCluster miniCluster, JobRun job, JobID jobId, Path directory)
            throws Exception;

    /** {@code cluster} with the next job starting from {@code path}. */
    public static Configuration restoringFrom(Configuration cluster, String path) {
        Configuration restoring = new Configuration(cluster);
        restoring.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
        return restoring;
    }
}
