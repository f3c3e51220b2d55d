package dev.flinkref.common.env;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The execution environment of every job, with production defaults for what the cluster leaves
 * unset.
 *
 * <p>Defaults are applied only for keys the cluster configuration does not contain, so a
 * FlinkDeployment's {@code flinkConfiguration} (or a session cluster's {@code config.yaml}) always
 * wins. Every key comes from Flink's own option classes, under its Flink 2 name.
 */
public final class JobEnvironment {
    /** Exactly-once needs checkpoints: the Kafka sink commits its transactions with them. */
    static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    /**
     * Checkpoints in a row that may fail (declined, expired) before the job restarts. A restart
     * does not help while S3 is down (the restore reads S3 too) and replays everything since the
     * last checkpoint, so a few failures are ridden out. Bounded by the sinks' transaction timeout:
     * a transaction opened at one checkpoint is committed only when a later one completes, up to
     * interval + (tolerated + 1) x timeout later, and must be committed before the broker aborts it
     * (10 min, KafkaConnectors; the k8s build checks <= half of it for the manifests and for these
     * defaults). An S3 outage counts only where S3A gives up within seconds, as with the manifests'
     * {@code s3.retry.limit} (docs/deployment.md, "Large state: checkpoints").
     */
    static final int DEFAULT_TOLERABLE_FAILED_CHECKPOINTS = 3;

    /**
     * A checkpoint stuck on a hung S3 expires after this and counts as failed; normal checkpoints
     * take 1-2 s at 10 M machines (docs/deployment.md). As in the manifests.
     */
    static final Duration DEFAULT_CHECKPOINT_TIMEOUT = Duration.ofMinutes(1);

    /**
     * The number of key groups, frozen into every checkpoint and savepoint at the first start: no
     * later parallelism can exceed it, and changing it means rewriting the state with the State
     * Processor API. 720 divides every parallelism from 1 to 12 but 7 and 11 (those stay within 0.2
     * % of even), and 15, 16, 18, 20, 24, 30, 36, 40, 45, 48, 60, 72, 80, 90, 120, 144, 180, 240
     * and 360, so each subtask gets the same share of keys; the operator's autoscaler prefers such
     * divisors. Above 128 every RocksDB key carries a 2-byte key-group prefix instead of 1,
     * whatever the value; the rest of its cost (one offset per key group in a checkpoint's
     * metadata, one timer queue per key group of a subtask) is a few KB at 720. Flink's own default
     * would be 128 up to parallelism 128, uneven at 3, 6 or 12 and fixed once state exists.
     */
    static final int DEFAULT_MAX_PARALLELISM = 720;

    private JobEnvironment() {}

    /**
     * The environment the job runs in. Inside a cluster that is the cluster's; run as a plain JVM
     * it is an embedded MiniCluster, configured by {@code $FLINK_CONF_DIR/config.yaml} if set (the
     * local demo sets its Web UI port there).
     */
    public static StreamExecutionEnvironment create() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        String confDir = System.getenv(ConfigConstants.ENV_FLINK_CONF_DIR);
        if (env instanceof LocalStreamEnvironment && confDir != null) {
            env =
                    StreamExecutionEnvironment.createLocalEnvironment(
                            GlobalConfiguration.loadConfiguration(confDir));
        }
        env.configure(missingDefaults(env.getConfiguration()));
        return env;
    }

    /**
     * {@link #create()} with the job's effective options as its global job parameters, so that the
     * Web UI and the REST API show them ({@code EffectiveOptions}).
     */
    public static StreamExecutionEnvironment create(
            ExecutionConfig.GlobalJobParameters effectiveOptions) {
        StreamExecutionEnvironment env = create();
        env.getConfig().setGlobalJobParameters(effectiveOptions);
        return env;
    }

    /**
     * The production defaults: RocksDB, incremental, exactly-once, retained on cancellation, 3
     * failed checkpoints tolerated, 720 key groups, no Kryo.
     */
    public static Configuration defaults() {
        Configuration defaults = new Configuration();
        defaults.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, DEFAULT_CHECKPOINT_INTERVAL);
        defaults.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, DEFAULT_CHECKPOINT_TIMEOUT);
        defaults.set(
                CheckpointingOptions.TOLERABLE_FAILURE_NUMBER,
                DEFAULT_TOLERABLE_FAILED_CHECKPOINTS);
        defaults.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        defaults.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        defaults.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // A cancelled job (e.g. a redeploy gone wrong) can still be restored from its last
        // checkpoint.
        defaults.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // Set explicitly, Flink refuses to restore state taken with another max parallelism, e.g.
        // the implicit 128 of a job started before it was set: such a deployment keeps 128 in its
        // cluster configuration (docs/deployment.md, "Max parallelism").
        defaults.set(PipelineOptions.MAX_PARALLELISM, DEFAULT_MAX_PARALLELISM);
        // A type Flink cannot serialize itself would fall back to Kryo: slow, and its state could
        // not evolve. The job then fails at submission, naming the type, instead of in production
        // state.
        defaults.set(PipelineOptions.GENERIC_TYPES, false);
        return defaults;
    }

    /** The defaults for keys {@code cluster} does not set (by name or by a fallback name). */
    public static Configuration missingDefaults(ReadableConfig cluster) {
        Configuration defaults = defaults();
        Configuration missing = new Configuration();
        for (ConfigOption<?> option : OPTIONS) {
            if (cluster.getOptional(option).isEmpty()) {
                copy(option, defaults, missing);
            }
        }
        return missing;
    }

    private static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    CheckpointingOptions.CHECKPOINTING_TIMEOUT,
                    CheckpointingOptions.TOLERABLE_FAILURE_NUMBER,
                    CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    StateBackendOptions.STATE_BACKEND,
                    CheckpointingOptions.INCREMENTAL_CHECKPOINTS,
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    PipelineOptions.MAX_PARALLELISM,
                    PipelineOptions.GENERIC_TYPES);

    private static <T> void copy(ConfigOption<T> option, Configuration from, Configuration to) {
        to.set(option, from.get(option));
    }
}
