package dev.flinkref.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own {@code kafka-producer-perf-test} and {@code kafka-consumer-perf-test} (the
 * kafka-tools classes behind those scripts), run as separate processes against the same broker:
 * what Kafka alone can move on this machine.
 */
final class KafkaPerfTools {
    private static final Pattern PRODUCED =
            Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec");

    private final BenchEnvironment env;

    KafkaPerfTools(BenchEnvironment env) {
        this.env = env;
    }

    /**
     * Producer perf test, acks=all, into a fresh topic; payloads from {@code payloadFile} (one per
     * line); transactional with one commit per second if asked.
     */
    double produce(long records, Path payloadFile, boolean transactional) throws Exception {
        String topic = env.topic("perf-produce", BenchEnvironment.PARTITIONS);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--topic",
                                topic,
                                "--num-records",
                                String.valueOf(records),
                                "--throughput",
                                "-1"));
        args.addAll(List.of("--payload-file", payloadFile.toString()));
        if (transactional) {
            args.addAll(List.of("--transactional-id", topic, "--transaction-duration-ms", "1000"));
        }
        args.addAll(
                List.of(
                        "--producer-props",
                        "bootstrap.servers=" + env.bootstrap(),
                        "acks=all",
                        "linger.ms=5",
                        "batch.size=65536"));
        Path log = env.work.resolve("runs").resolve(topic + ".log");
        String output = run("org.apache.kafka.tools.ProducerPerformance", args, log);
        Matcher last = null;
        for (String line : output.split("\n")) {
            Matcher m = PRODUCED.matcher(line);
            if (m.find()) {
                last = m;
            }
        }
        if (last == null || Long.parseLong(last.group(1)) != records) {
            throw new IllegalStateException(
                    "producer perf test did not send all records:\n" + output);
        }
        return Double.parseDouble(last.group(2));
    }

    /** Consumer perf test over {@code records} records of an existing topic. */
    double consume(String topic, long records) throws Exception {
        Path log =
                env.work.resolve("runs").resolve(topic + "-consume-" + System.nanoTime() + ".log");
        String output =
                run(
                        "org.apache.kafka.tools.ConsumerPerformance",
                        List.of(
                                "--bootstrap-server",
                                env.bootstrap(),
                                "--topic",
                                topic,
                                "--messages",
                                String.valueOf(records),
                                "--group",
                                "perf-" + System.nanoTime(),
                                "--timeout",
                                "60000"),
                        log);
        // CSV: start, end, MB, MB/s, nMsg, nMsg/s, rebalance ms, fetch ms, fetch MB/s, fetch nMsg/s
        String[] header = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("start.time")) {
                header = line.split(",\\s*");
            } else if (header != null && line.split(",").length == header.length) {
                String[] values = line.split(",\\s*");
                long consumed = Long.parseLong(values[4].trim());
                if (consumed < records) {
                    throw new IllegalStateException(
                            "consumer perf test read " + consumed + " of " + records);
                }
                return Double.parseDouble(values[5].trim());
            }
        }
        throw new IllegalStateException("no consumer perf figures:\n" + output);
    }

    private String run(String mainClass, List<String> args, Path log) throws Exception {
        try (Child child = Child.harnessClass(mainClass, mainClass, args, log)) {
            child.awaitExit(600);
        }
        return Files.readString(log);
    }
}
