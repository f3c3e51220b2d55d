package dev.flinkref.localcluster.demo;

import dev.flinkref.localcluster.LocalStack;
import dev.flinkref.localcluster.PrometheusServer;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What both demos share: the local stack (Kafka, S3, a Flink cluster of separate processes), the
 * job's topics, and the job's shaded jar submitted over REST, as the operator would submit it.
 * Ctrl-C stops everything (the stack's shutdown hook).
 */
final class DemoStack {
    private DemoStack() {}

    static LocalStack start(Path work) throws Exception {
        Files.createDirectories(work);
        System.out.println(
                "Starting Kafka, S3 (S3Proxy) and Flink (1 JobManager, 2 TaskManager processes)...");
        LocalStack stack =
                LocalStack.start(Files.createTempDirectory(work.toAbsolutePath(), "stack-"), 2);
        System.out.println("Kafka:        " + stack.bootstrapServers());
        System.out.println(
                "S3:           "
                        + stack.s3Endpoint()
                        + " (bucket 'flink': checkpoints, savepoints)");
        System.out.println("Flink Web UI: " + stack.restUrl());
        if (Boolean.getBoolean("demo.prometheus")) {
            // Production's scrape interval and alert rules (time scale 1), from the repository.
            PrometheusServer prometheus = stack.startPrometheus(Path.of("").toAbsolutePath(), 1);
            System.out.println(
                    "Prometheus:   "
                            + prometheus.url()
                            + " (alerts: "
                            + prometheus.url()
                            + "/alerts, the dashboard's queries: "
                            + prometheus.url()
                            + "/graph)");
        }
        return stack;
    }

    /** Creates the job's topics and submits its shaded jar; returns the job id. */
    static String submit(LocalStack stack, String job, Map<String, Integer> topics, String... args)
            throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers())) {
            topics.forEach(kafka::createTopic);
        }
        List<String> jobArgs =
                new ArrayList<>(List.of("--bootstrap-servers", stack.bootstrapServers()));
        jobArgs.addAll(List.of(args));
        Path jar = Path.of("jobs", job, "target", job + ".jar").toAbsolutePath();
        String jobId = stack.rest().submit(jar, null, 2, jobArgs, Optional.empty());
        System.out.println(
                "Submitted "
                        + jar
                        + " as job "
                        + jobId
                        + " ("
                        + stack.restUrl()
                        + "/#/job/running/"
                        + jobId
                        + ")");
        return jobId;
    }
}
