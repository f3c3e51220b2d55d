package dev.flinkref.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The machine's 1-minute load average every 5 s while a suite runs, so that a section says how busy
 * the machine was (its own job and broker included): on a shared machine other work changes the
 * wall-clock figures far more than the CPU-second ones.
 */
final class LoadSampler implements AutoCloseable {
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private final List<Double> samples = new ArrayList<>();
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(
                    runnable -> {
                        Thread thread = new Thread(runnable, "load-sampler");
                        thread.setDaemon(true);
                        return thread;
                    });

    LoadSampler() {
        if (Files.isReadable(LOADAVG)) {
            executor.scheduleAtFixedRate(this::sample, 0, 5, TimeUnit.SECONDS);
        }
    }

    private void sample() {
        try {
            double load = Double.parseDouble(Files.readString(LOADAVG).split(" ")[0]);
            synchronized (samples) {
                samples.add(load);
            }
        } catch (Exception | Error ignored) {
            // a missing sample only shortens the summary
        }
    }

    /** E.g. "median 2.9, max 4.1 (42 samples)", or "not measured". */
    String summary() {
        synchronized (samples) {
            if (samples.isEmpty()) {
                return "not measured";
            }
            return String.format(
                    "median %.1f, max %.1f (%d samples every 5 s)",
                    Stats.median(samples),
                    samples.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                    samples.size());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
