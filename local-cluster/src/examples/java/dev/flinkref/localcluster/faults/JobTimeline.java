package dev.flinkref.localcluster.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the JobManager reports about a job, sampled every 250 ms while a fault runs: its state,
 * completed and failed checkpoints and restarts. The figures of a fault (when checkpoints failed,
 * when the job restarted, when it committed again) come from here.
 */
final class JobTimeline extends Sampler {
    record Sample(Instant at, String state, long completed, long failed, long restarts) {}

    private final FaultStack stack;
    private final String job;
    private final List<Sample> samples = new ArrayList<>();

    private JobTimeline(FaultStack stack, String job) {
        super("timeline-" + job);
        this.stack = stack;
        this.job = job;
    }

    static JobTimeline of(FaultStack stack, String job) {
        JobTimeline timeline = new JobTimeline(stack, job);
        timeline.start();
        return timeline;
    }

    @Override
    void sample() throws Exception {
        Sample sample =
                new Sample(
                        Instant.now(),
                        stack.rest().jobState(job),
                        stack.completedCheckpoints(job),
                        stack.failedCheckpoints(job),
                        stack.restarts(job));
        synchronized (samples) {
            samples.add(sample);
        }
    }

    /** The first sample at or after {@code from} that matches. */
    Optional<Sample> first(Instant from, Predicate<Sample> matching) {
        synchronized (samples) {
            return samples.stream()
                    .filter(s -> !s.at().isBefore(from))
                    .filter(matching)
                    .findFirst();
        }
    }

    Sample last() {
        synchronized (samples) {
            return samples.get(samples.size() - 1);
        }
    }

    /** Seconds from {@code from} to the first matching sample, or -1 if none. */
    double secondsUntil(Instant from, Predicate<Sample> matching) {
        return first(from, matching)
                .map(s -> Duration.between(from, s.at()).toMillis() / 1000.0)
                .orElse(-1.0);
    }

    /** Every change of state or counter, as seconds since {@code origin}: for the report. */
    String changes(Instant origin) {
        StringBuilder out = new StringBuilder();
        Sample previous = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (previous == null
                        || !s.state().equals(previous.state())
                        || s.completed() != previous.completed()
                        || s.failed() != previous.failed()
                        || s.restarts() != previous.restarts()) {
                    out.append(
                            String.format(
                                    "  %+7.2f s %-12s completed=%d failed=%d restarts=%d%n",
                                    Duration.between(origin, s.at()).toMillis() / 1000.0,
                                    s.state(),
                                    s.completed(),
                                    s.failed(),
                                    s.restarts()));
                }
                previous = s;
            }
        }
        return out.toString();
    }
}
