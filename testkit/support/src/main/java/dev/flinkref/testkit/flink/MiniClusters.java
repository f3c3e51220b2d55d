package dev.flinkref.testkit.flink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** MiniCluster setups the tests share. */
public final class MiniClusters {
    private MiniClusters() {}

    public static MiniClusterExtension extension(int taskManagers, int slotsPerTaskManager) {
        return extension(taskManagers, slotsPerTaskManager, new Configuration());
    }

    public static MiniClusterExtension extension(
            int taskManagers, int slotsPerTaskManager, Configuration configuration) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(configuration)
                        .setNumberTaskManagers(taskManagers)
                        .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                        .build());
    }

    /** One TaskManager, one slot, metrics kept in {@code reporter} after jobs finish. */
    public static MiniClusterExtension withMetricsIn(InMemoryReporter reporter) {
        return extension(1, 1, reporter.addToConfiguration(new Configuration()));
    }
}
