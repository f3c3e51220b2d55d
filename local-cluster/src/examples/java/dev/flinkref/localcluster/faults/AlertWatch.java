package dev.flinkref.localcluster.faults;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flinkref.localcluster.PrometheusServer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Waits for an alert in the background from the moment of a fault, so that the time it fired is
 * measured, not the time the test got round to asking (recovery steps run meanwhile).
 */
final class AlertWatch {
    /** The alert every fault that restarts a job must fire, JobManager failover included. */
    static final String JOB_RESTARTING = "FlinkJobRestarting";

    private AlertWatch() {}

    /** As DashboardQueriesIT: skipped without a prometheus binary, unless CI requires it. */
    static void assumePrometheus() {
        assumeTrue(
                PrometheusServer.available()
                        || "required".equals(System.getenv("PROMETHEUS_TESTS")),
                "no prometheus binary (apt-get install prometheus)");
    }

    static CompletableFuture<Instant> firing(
            PrometheusServer prometheus, String alert, String jobName, Duration timeout) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return prometheus.awaitAlertFiring(alert, jobName, timeout);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                });
    }
}
