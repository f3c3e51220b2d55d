package dev.flinkref.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end with tiny input: a real broker, the word-count job's shaded jar in its own
 * JVM, the Kafka Streams peer in its own; both outputs verified exact by the harness itself.
 */
class BenchSmokeIT {
    @Test
    void measuresVerifiedRunsOfTheJobAndItsPeer(@TempDir Path work) throws Exception {
        Path repo = Path.of(System.getProperty("repo.root"));
        try (BenchEnvironment env = new BenchEnvironment(repo, work)) {
            WordCountSuites suites = new WordCountSuites(env, 5_000);

            Measurement flink =
                    suites.runFlink("smoke-flink", Duration.ofSeconds(1), "exactly-once");
            Measurement streams = suites.runKafkaStreams("smoke-streams");

            for (Measurement m : new Measurement[] {flink, streams}) {
                assertThat(m.records()).isEqualTo(5_000);
                assertThat(m.seconds()).isPositive();
                assertThat(m.jobCpuSeconds()).isPositive();
                assertThat(m.brokerCpuSeconds()).isPositive();
            }
        }
    }
}
