package dev.flinkref.testkit.flink;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * A job's real {@code main} running in the background on a MiniCluster that plays a cluster with
 * the given configuration, and what a test needs to watch it and hurt it.
 */
public final class JobRun {
    /** A job's main method. */
    @FunctionalInterface
    public interface Main {
        void run(String[] args) throws Exception;
    }

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final Map<MiniCluster, Integer> TERMINATED = new WeakHashMap<>();

    private final MiniCluster miniCluster;
    private final CompletableFuture<Void> main;

    private JobRun(MiniCluster miniCluster, CompletableFuture<Void> main) {
        this.miniCluster = miniCluster;
        this.main = main;
    }

    public static JobRun start(
            MiniCluster miniCluster,
            int parallelism,
            Configuration clusterConfiguration,
            Main main,
            String... args) {
        ClusterConfiguredEnvironment.install(miniCluster, parallelism, clusterConfiguration);
        return new JobRun(
                miniCluster,
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                main.run(args);
                            } catch (Exception e) {
                                throw new IllegalStateException("main failed", e);
                            }
                        }));
    }

    /** Waits for main to return (a bounded job has finished), rethrowing what it threw. */
    public void awaitCompletion(Duration timeout) throws Exception {
        main.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public JobID awaitRunning() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (main.isDone()) {
                main.get();
                throw new AssertionError("main returned before its job was seen running");
            }
            Optional<JobID> running =
                    miniCluster.listJobs().get().stream()
                            .filter(job -> job.getJobState() == JobStatus.RUNNING)
                            .map(JobStatusMessage::getJobId)
                            .findFirst();
            if (running.isPresent()) {
                return running.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no job reached RUNNING within " + WAIT);
    }

    /** Waits for a completed checkpoint while the job still runs (fails if it ended first). */
    public void awaitCompletedCheckpoint(JobID jobId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            AccessExecutionGraph graph = executionGraph(jobId);
            if (graph.getState().isGloballyTerminalState()) {
                throw new AssertionError(
                        "the job ended before its first checkpoint completed; give it more input");
            }
            CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
            if (stats != null && stats.getCounts().getNumberOfCompletedCheckpoints() > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint completed within " + WAIT);
    }

    /**
     * A TaskManager process dies and a replacement starts, as a Kubernetes Deployment replaces a
     * lost pod: every task on it fails and the job restores from its latest checkpoint.
     */
    public void loseTaskManager() throws Exception {
        // MiniCluster keeps terminated TaskManagers in its list and appends new ones, so the
        // oldest live one is at the index of the number terminated so far.
        int index;
        synchronized (TERMINATED) {
            index = TERMINATED.merge(miniCluster, 1, Integer::sum) - 1;
        }
        miniCluster.terminateTaskManager(index).get(60, TimeUnit.SECONDS);
        miniCluster.startTaskManager();
    }

    /** The job's global job parameters as the Web UI and REST API show them. */
    public Map<String, String> globalJobParameters(JobID jobId) throws Exception {
        return executionGraph(jobId).getArchivedExecutionConfig().getGlobalJobParameters();
    }

    public CheckpointStatsSnapshot checkpointStats(JobID jobId) throws Exception {
        return executionGraph(jobId).getCheckpointStatsSnapshot();
    }

    private AccessExecutionGraph executionGraph(JobID jobId) throws Exception {
        return miniCluster.getArchivedExecutionGraph(jobId).get(30, TimeUnit.SECONDS);
    }
}
