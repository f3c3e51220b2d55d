package dev.flinkref.localcluster;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the end-to-end tests feed one job and expect back from it, for a job that provides it (the
 * examples do, in src/examples, registered in {@code META-INF/services}). A job without one is
 * still built, run, killed and upgraded; its exact output is then proven by its own integration
 * test on a MiniCluster instead.
 */
public interface JobSample {
    /** The job's name (its folder under jobs/). */
    String job();

    /** Three parts of input for {@code topic}, the counter its decoder keeps, the exact output. */
    Inputs inputs(String topic);

    record Inputs(
            List<List<ProducerRecord<byte[], byte[]>>> parts,
            String metric,
            List<String> expected) {}

    static Optional<JobSample> of(String job) {
        return ServiceLoader.load(JobSample.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(sample -> sample.job().equals(job))
                .findFirst();
    }
}
