package dev.flinkref.localcluster.faults;

import dev.flinkref.localcluster.PrometheusServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every change of a real Prometheus' alerts ({@code /api/v1/alerts}: pending, firing, gone),
 * sampled every 250 ms while a fault runs, so that a test can say when an alert fired relative to
 * the fault and wait until it resolved. An alert belongs to a job by its {@code job_name} label
 * and, where the rule keeps it, its {@code job_id}: jobs of one test class share a name.
 */
final class AlertLog extends Sampler {
    static final String INACTIVE = "inactive";

    record Change(Instant at, String alert, String jobName, String jobId, String state) {}

    private final PrometheusServer prometheus;
    private final Map<List<String>, String> states = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();

    private AlertLog(PrometheusServer prometheus) {
        super("alert-log");
        this.prometheus = prometheus;
    }

    static AlertLog of(PrometheusServer prometheus) {
        AlertLog log = new AlertLog(prometheus);
        log.start();
        return log;
    }

    @Override
    void sample() throws Exception {
        Instant now = Instant.now();
        Map<List<String>, String> current = new HashMap<>();
        for (Map<String, String> alert : prometheus.alerts()) {
            current.put(
                    List.of(
                            alert.get("alertname"),
                            alert.getOrDefault("job_name", ""),
                            alert.getOrDefault("job_id", "")),
                    alert.get("state"));
        }
        synchronized (changes) {
            Set<List<String>> keys = new HashSet<>(states.keySet());
            keys.addAll(current.keySet());
            for (List<String> key : keys) {
                String state = current.getOrDefault(key, INACTIVE);
                if (!state.equals(states.getOrDefault(key, INACTIVE))) {
                    changes.add(new Change(now, key.get(0), key.get(1), key.get(2), state));
                    states.put(key, state);
                }
            }
        }
    }

    private static boolean ofJob(Change change, String alert, String jobName, String jobId) {
        return change.alert().equals(alert)
                && change.jobName().equals(jobName)
                && (change.jobId().isEmpty() || change.jobId().equals(jobId));
    }

    /** When {@code alert} was first seen firing for the job at or after {@code from}. */
    Optional<Instant> firstFiring(String alert, String jobName, String jobId, Instant from) {
        synchronized (changes) {
            return changes.stream()
                    .filter(c -> !c.at().isBefore(from))
                    .filter(c -> ofJob(c, alert, jobName, jobId))
                    .filter(c -> c.state().equals("firing"))
                    .map(Change::at)
                    .findFirst();
        }
    }

    /** Waits until {@code alert} has fired for the job at or after {@code from}; returns when. */
    Instant awaitFiring(String alert, String jobName, String jobId, Instant from, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Instant> fired;
        while ((fired = firstFiring(alert, jobName, jobId, from)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        alert
                                + " did not fire for "
                                + jobName
                                + " within "
                                + timeout
                                + ":\n"
                                + changes(from));
            }
            Thread.sleep(250);
        }
        return fired.get();
    }

    /**
     * Waits until {@code alert} is neither pending nor firing for the job; returns when it was
     * first seen so (not before the last time it fired).
     */
    Instant awaitResolved(String alert, String jobName, String jobId, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (changes) {
                Change last = null;
                boolean active = false;
                for (Change c : changes) {
                    if (ofJob(c, alert, jobName, jobId)) {
                        last = c;
                    }
                }
                for (Map.Entry<List<String>, String> entry : states.entrySet()) {
                    List<String> key = entry.getKey();
                    if (key.get(0).equals(alert)
                            && key.get(1).equals(jobName)
                            && (key.get(2).isEmpty() || key.get(2).equals(jobId))
                            && !entry.getValue().equals(INACTIVE)) {
                        active = true;
                    }
                }
                if (!active) {
                    return last == null ? Instant.now() : last.at();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        alert + " did not resolve for " + jobName + " within " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /** Whether {@code alert} was pending or firing for the job at any time in [from, to]. */
    boolean wasActive(String alert, String jobName, String jobId, Instant from, Instant to) {
        synchronized (changes) {
            String stateAtFrom = INACTIVE;
            for (Change c : changes) {
                if (!ofJob(c, alert, jobName, jobId)) {
                    continue;
                }
                if (c.at().isBefore(from)) {
                    stateAtFrom = c.state();
                } else if (!c.at().isAfter(to) && !c.state().equals(INACTIVE)) {
                    return true;
                }
            }
            return !stateAtFrom.equals(INACTIVE);
        }
    }

    /** Every change from {@code from} on, as seconds since {@code from}: for the report. */
    String changes(Instant from) {
        StringBuilder out = new StringBuilder();
        synchronized (changes) {
            for (Change c : changes) {
                if (!c.at().isBefore(from)) {
                    out.append(
                            String.format(
                                    "  %+7.2f s %-28s %-9s %s %s%n",
                                    Duration.between(from, c.at()).toMillis() / 1000.0,
                                    c.alert(),
                                    c.state(),
                                    c.jobName(),
                                    c.jobId()));
                }
            }
        }
        return out.toString();
    }
}
