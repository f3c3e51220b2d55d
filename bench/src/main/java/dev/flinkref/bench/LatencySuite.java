package dev.flinkref.bench;

import dev.flinkref.localcluster.FlinkRestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * Measurement 3, latency: the word-count job (exactly-once, unbounded) fed at half its sustainable
 * rate with event time = produce time; a line's latency is the moment its window's counts became
 * visible to a read_committed consumer minus the moment the line was produced.
 */
final class LatencySuite {
    private static final int PARTITIONS = BenchEnvironment.PARTITIONS;
    private static final String JOB = "dev.flinkref.wordcount.WordCountJob";

    private final BenchEnvironment env;
    private final BenchMain.Scale scale;

    LatencySuite(BenchEnvironment env, BenchMain.Scale scale) {
        this.env = env;
        this.scale = scale;
    }

    Section run() throws Exception {
        WordCountSuites drain = new WordCountSuites(env, scale.wordCountLines / 4);
        Section section =
                new Section("3b-latency", "3. The cost of exactly-once: end-to-end latency");
        section.line(
                "The word-count job, exactly-once, unbounded, fed by a paced producer at half the"
                        + " rate it sustains at that checkpoint interval (measured first: a bounded"
                        + " drain of %,d pre-loaded lines, JVM start included, so the rate is"
                        + " conservative). Event time is the produce time; a line's latency is when"
                        + " its window's counts became visible to a `read_committed` consumer minus"
                        + " when it was produced, over every line of %d s of steady state after a"
                        + " 10 s warm-up. Structural floor = window (5 s) + checkpoint interval: a"
                        + " line produced at a window's start waits the whole window, then up to one"
                        + " interval for the transaction that commits its counts (plus the 1 s"
                        + " out-of-orderness bound of the watermark). All counts verified exact.",
                drain.input().lines, scale.steadySeconds);
        section.line("");
        section.line(
                "| checkpoint interval | sustainable lines/s | fed at lines/s | p50 | p99 | floor (window + interval) | p50 − floor | p99 − floor |");
        section.line("|---|---|---|---|---|---|---|---|");
        for (int seconds : new int[] {1, 5, 10}) {
            Duration interval = Duration.ofSeconds(seconds);
            Measurement sustainable =
                    drain.runFlink("eo-drain-" + seconds + "s", interval, "exactly-once");
            BenchEnvironment.progress("[3/latency] %d s sustainable: %s", seconds, sustainable);
            int rate = (int) (sustainable.recordsPerSecond() / 2);
            double[] latency = paced(seconds, rate);
            long floor = WordCountInput.WINDOW_MILLIS + interval.toMillis();
            BenchEnvironment.progress(
                    "[3/latency] %d s checkpoints at %,d lines/s: p50 %,.0f ms, p99 %,.0f ms",
                    seconds, rate, latency[0], latency[1]);
            section.line(
                    "| %d s | %,.0f | %,d | %,.0f ms | %,.0f ms | %,d ms | %+,.0f ms | %+,.0f ms |",
                    seconds,
                    sustainable.recordsPerSecond(),
                    rate,
                    latency[0],
                    latency[1],
                    floor,
                    latency[0] - floor,
                    latency[1] - floor);
            section.bar(
                    "Latency p99 (ms) vs floor, exactly-once",
                    seconds + " s checkpoints: p99",
                    latency[1],
                    "ms");
            section.bar(
                    "Latency p99 (ms) vs floor, exactly-once",
                    seconds + " s checkpoints: floor",
                    floor,
                    "ms");
        }
        return section;
    }

    /** Feeds the running job at {@code rate} lines/s; returns {p50, p99} latency in ms. */
    private double[] paced(int intervalSeconds, int rate) throws Exception {
        String input = env.topic("lat-input", PARTITIONS);
        String output = env.topic("lat-output", PARTITIONS);
        String group = output.replace("output", "group");
        BenchEnvironment.FlinkConf conf =
                env.flinkConf(
                        "latency-" + intervalSeconds + "s", Duration.ofSeconds(intervalSeconds));
        List<String> args =
                List.of(
                        "--bootstrap-servers", env.bootstrap(),
                        "--input-topic", input,
                        "--output-topic", output,
                        "--dlq-topic", env.topic("lat-dlq", 1),
                        "--late-topic", env.topic("lat-late", 1),
                        "--group-id", group,
                        "--transactional-id-prefix", group);
        try (CommittedWatcher watcher =
                        new CommittedWatcher(
                                env.bootstrap(),
                                output,
                                PARTITIONS,
                                s -> !WordCountInput.isSentinel(s));
                Child job =
                        Child.flinkJob(
                                "latency",
                                List.of(env.jobJar("wordcount")),
                                JOB,
                                args,
                                conf.dir(),
                                conf.log());
                Loader producer = new Loader(env.bootstrap())) {
            awaitRunning(new FlinkRestClient(conf.restUrl()), job);
            PacedLines feed = new PacedLines(producer, input, PARTITIONS, rate, intervalSeconds);
            long start = System.currentTimeMillis();
            long warmupEnd = start + 10_000;
            long end = warmupEnd + scale.steadySeconds * 1000L;
            while (System.currentTimeMillis() < end) {
                feed.sendDue();
                Thread.sleep(2);
            }
            feed.finish();
            BenchEnvironment.progress(
                    "[3/latency] produced %,d lines in %d s",
                    feed.producedAt().size(), (end - start) / 1000);
            Map<String, Long> expected = feed.expected();
            int expectedRecords = expected.size();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (watcher.counted() < expectedRecords) {
                if (System.nanoTime() > deadline || !job.isAlive()) {
                    throw new IllegalStateException("latency run: output incomplete" + job.tail());
                }
                Thread.sleep(200);
            }
            Thread.sleep(2000);
            List<CommittedWatcher.Seen> seen = watcher.seen();
            WordCountInput.verify(seen, expected);
            Map<Long, Long> visible = new HashMap<>();
            for (CommittedWatcher.Seen record : seen) {
                JsonNode json = WordCountInput.readJson(record.value());
                visible.merge(
                        json.path("window_start").asLong(), record.visibleAtMillis(), Math::min);
            }
            List<Double> latencies = new ArrayList<>();
            for (long producedAt : feed.producedAt()) {
                if (producedAt >= warmupEnd) {
                    latencies.add(
                            (double) (visible.get(PacedLines.window(producedAt)) - producedAt));
                }
            }
            return new double[] {Stats.percentile(latencies, 50), Stats.percentile(latencies, 99)};
        }
    }

    /** Until every task of the job runs: latency must not include the job's start. */
    static void awaitRunning(FlinkRestClient rest, Child job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline && job.isAlive()) {
            try {
                JsonNode jobs = rest.get("/jobs/overview").path("jobs");
                if (jobs.size() > 0) {
                    JsonNode tasks = jobs.get(0).path("tasks");
                    if (tasks.path("running").asInt() > 0
                            && tasks.path("running").asInt() == tasks.path("total").asInt()) {
                        return;
                    }
                }
            } catch (Exception e) {
                // REST not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("job did not start" + job.tail());
    }
}
