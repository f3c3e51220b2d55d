package dev.flinkref.testkit.flink;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * Makes {@code StreamExecutionEnvironment.getExecutionEnvironment()} return an environment whose
 * configuration starts from a given cluster configuration, as a job's {@code main} sees a real
 * cluster's {@code config.yaml} (or a FlinkDeployment's {@code flinkConfiguration}).
 *
 * <p>The plain {@link TestStreamEnvironment} context starts from an empty configuration (the
 * MiniCluster's own configuration does not reach the job), so without this a test could not show
 * that cluster settings win over a job's defaults. Reset by {@code MiniClusterExtension} after each
 * test, or by {@link #reset()}.
 */
public final class ClusterConfiguredEnvironment extends TestStreamEnvironment {
    private ClusterConfiguredEnvironment(
            MiniCluster miniCluster, Configuration configuration, int parallelism) {
        super(miniCluster, configuration, parallelism, List.of(), List.of());
    }

    public static void install(
            MiniCluster miniCluster, int parallelism, Configuration clusterConfiguration) {
        initializeContextEnvironment(
                programConfiguration -> {
                    Configuration merged = new Configuration(clusterConfiguration);
                    merged.addAll(programConfiguration);
                    ClusterConfiguredEnvironment env =
                            new ClusterConfiguredEnvironment(miniCluster, merged, parallelism);
                    env.configure(merged, env.getUserClassloader());
                    return env;
                });
    }

    public static void reset() {
        resetContextEnvironment();
    }
}
