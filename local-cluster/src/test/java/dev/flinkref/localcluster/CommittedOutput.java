package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.KafkaTestClient;
import dev.flinkref.testkit.verify.ExactlyOnceVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A topic's committed records (read_committed), compared exactly with what a job must write. */
public final class CommittedOutput {
    private CommittedOutput() {}

    public static List<String> committed(KafkaTestClient kafka, String topic) {
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(topic)) {
            values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** For a running job: waits for the expected number of records, then checks them exactly. */
    public static void assertExactWhileRunning(
            KafkaTestClient kafka, String topic, List<String> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        List<String> actual = committed(kafka, topic);
        while (actual.size() < expected.size() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            actual = committed(kafka, topic);
        }
        // Two more checkpoints: anything extra (a duplicate) would be committed by then.
        Thread.sleep(5_000);
        ExactlyOnceVerifier.assertExactlyOnce(expected, committed(kafka, topic));
    }

    /** Sum over the series of a Prometheus {@code metric} that belong to {@code jobId}. */
    public static long metricSum(String scraped, String metric, String jobId) {
        double sum = 0;
        for (String line : scraped.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains("job_id=\"" + jobId + "\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }
}
