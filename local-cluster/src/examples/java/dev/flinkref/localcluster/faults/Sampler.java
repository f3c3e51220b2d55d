package dev.flinkref.localcluster.faults;

/**
 * A daemon thread that takes a sample every 250 ms while a fault runs, until closed: what {@link
 * AlertLog} and {@link JobTimeline} record, so that a figure says when something happened, not when
 * the test got round to asking.
 */
abstract class Sampler implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;

    Sampler(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Started by the subclass' factory, once the subclass is fully constructed. */
    final void start() {
        thread.start();
    }

    /**
     * Takes one sample. A failure (the REST API or Prometheus busy, a JobManager between states)
     * loses only that sample: the next one counts.
     */
    abstract void sample() throws Exception;

    private void run() {
        while (running) {
            try {
                sample();
            } catch (Exception e) {
                // Only this sample is lost.
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
