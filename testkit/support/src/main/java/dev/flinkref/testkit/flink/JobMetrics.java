package dev.flinkref.testkit.flink;

import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/**
 * Reads a job's metrics as a dashboard would see them: summed over all subtasks. Use with an {@link
 * InMemoryReporter#createWithRetainedMetrics()} added to the MiniCluster configuration, so metrics
 * are still there after a bounded job finished.
 */
public final class JobMetrics {
    private JobMetrics() {}

    /** The sum of every counter or numeric gauge of the job whose name is {@code name}. */
    public static long sum(InMemoryReporter reporter, JobID jobId, String name) {
        long sum = 0;
        int found = 0;
        for (Map.Entry<String, Metric> metric :
                reporter.getMetricsByIdentifiers(jobId).entrySet()) {
            if (!metric.getKey().endsWith("." + name)) {
                continue;
            }
            found++;
            if (metric.getValue() instanceof Counter counter) {
                sum += counter.getCount();
            } else if (metric.getValue() instanceof Gauge<?> gauge
                    && gauge.getValue() instanceof Number number) {
                sum += number.longValue();
            } else {
                throw new AssertionError(metric.getKey() + " is neither a counter nor a number");
            }
        }
        if (found == 0) {
            throw new AssertionError("the job has no metric named " + name);
        }
        return sum;
    }
}
