package dev.flinkref.bench;

import dev.flinkref.localcluster.FlinkRestClient;
import dev.flinkref.localcluster.LocalStack;
import dev.flinkref.localcluster.ProdOverlay;
import dev.flinkref.statemachine.InputFormat;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * Measurements 6 (recovery) and 7 (memory) on the multi-process local cluster: the shaded jars
 * submitted over REST to a JobManager and TaskManager processes, checkpoints on S3 (S3Proxy).
 */
final class ClusterSuites {
    private static final int PARTITIONS = BenchEnvironment.PARTITIONS;

    private final Path repo;
    private final Path work;
    private final BenchMain.Scale scale;

    ClusterSuites(Path repo, Path work, BenchMain.Scale scale) {
        this.repo = repo;
        this.work = work;
        this.scale = scale;
    }

    private Path jar(String job) {
        return repo.resolve("jobs/" + job + "/target/" + job + ".jar");
    }

    private static List<String> kafkaArgs(
            LocalStack stack, KafkaTestClient kafka, String input, String output, boolean bounded) {
        String group = output.replace("output", "group");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers", stack.bootstrapServers(),
                                "--input-topic", input,
                                "--output-topic", output,
                                "--dlq-topic", kafka.createUniqueTopic("dlq", 1),
                                "--group-id", group,
                                "--transactional-id-prefix", group));
        if (bounded) {
            args.add("--bounded");
        }
        return args;
    }

    /** 6. A TaskManager killed at steady state: time until output resumes, catch-up rate. */
    Section recovery() throws Exception {
        int rate = scale == BenchMain.Scale.SMOKE ? 200 : 5_000;
        int warmupSeconds = 30;
        int afterSeconds = scale.steadySeconds;
        Section section =
                new Section("6-recovery", "6. Recovery: a TaskManager killed at steady state");
        // What production ships decides the recovery time: its failure detection, restart
        // back-off and checkpoint schedule, read from the rendered prod overlay, not retyped; with
        // its state settings (unaligned checkpoints, RocksDB), as the restore uses them.
        Map<String, String> rendered = ProdOverlay.flinkConfiguration(repo, "wordcount");
        Map<String, String> prod = ProdOverlay.select(rendered, ProdOverlay.RECOVERY_KEYS);
        prod.putAll(ProdOverlay.select(rendered, ProdOverlay.STATE_KEYS));
        BenchEnvironment.progress("[6/recovery] settings of k8s/overlays/prod: %s", prod);
        try (LocalStack stack = LocalStack.start(work.resolve("recovery"), 2, prod);
                KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers())) {
            String input = kafka.createUniqueTopic("rec-input", PARTITIONS);
            String output = kafka.createUniqueTopic("rec-output", PARTITIONS);
            List<String> args = kafkaArgs(stack, kafka, input, output, false);
            args.addAll(List.of("--late-topic", kafka.createUniqueTopic("late", 1)));
            String job = stack.rest().submit(jar("wordcount"), null, 2, args, Optional.empty());
            stack.rest().awaitState(job, "RUNNING", Duration.ofMinutes(2));
            BenchEnvironment.progress(
                    "[6/recovery] word count %s running; feeding %,d lines/s", job, rate);
            long killedAt = 0;
            Breakdown breakdown = null;
            boolean breakdownTaken = false;
            try (CommittedWatcher watcher =
                            new CommittedWatcher(
                                    stack.bootstrapServers(),
                                    output,
                                    PARTITIONS,
                                    s -> !WordCountInput.isSentinel(s));
                    Loader producer = new Loader(stack.bootstrapServers())) {
                PacedLines feed = new PacedLines(producer, input, PARTITIONS, rate, 11);
                long start = System.currentTimeMillis();
                long end = start + (warmupSeconds + afterSeconds) * 1000L;
                while (System.currentTimeMillis() < end) {
                    if (killedAt == 0
                            && System.currentTimeMillis() - start >= warmupSeconds * 1000L) {
                        if (stack.rest().completedCheckpoints(job) < 3) {
                            throw new IllegalStateException(
                                    "fewer than 3 checkpoints before the kill");
                        }
                        long pid = stack.killTaskManagerOf(job);
                        killedAt = System.currentTimeMillis();
                        BenchEnvironment.progress(
                                "[6/recovery] killed TaskManager pid %d (kill -9); starting a"
                                        + " replacement",
                                pid);
                        stack.startTaskManager();
                    }
                    if (!breakdownTaken
                            && killedAt > 0
                            && System.currentTimeMillis() - killedAt > 20_000) {
                        // Early, while the checkpoint history still holds the first checkpoint
                        // after the restore.
                        breakdownTaken = true;
                        try {
                            breakdown = Breakdown.of(stack.rest(), job, killedAt);
                        } catch (Exception e) {
                            BenchEnvironment.progress("[6/recovery] no breakdown: %s", e);
                        }
                    }
                    feed.sendDue();
                    Thread.sleep(2);
                }
                feed.finish();
                Map<String, Long> expected = feed.expected();
                TreeMap<Long, Long> linesPerWindow = feed.linesPerWindow();
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (watcher.counted() < expected.size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "recovery: output incomplete, "
                                        + watcher.counted()
                                        + " of "
                                        + expected.size());
                    }
                    Thread.sleep(200);
                }
                Thread.sleep(3000);
                List<CommittedWatcher.Seen> seen = watcher.seen();
                WordCountInput.verify(seen, expected);
                RecoveryFigures figures = RecoveryFigures.of(seen, linesPerWindow, killedAt);
                BenchEnvironment.progress("[6/recovery] %s", figures);
                if (breakdown != null) {
                    BenchEnvironment.progress(
                            "[6/recovery] %s, visible %.1f s",
                            breakdown, figures.resumeSeconds - breakdown.checkpointed());
                }
                StringBuilder settings = new StringBuilder();
                prod.forEach(
                        (key, value) ->
                                settings.append(settings.isEmpty() ? "" : ", ")
                                        .append('`')
                                        .append(key)
                                        .append(": ")
                                        .append(value)
                                        .append('`'));
                section.line(
                        "The local cluster (`LocalStack`: Kafka, S3Proxy, a JobManager and 2"
                                + " TaskManager processes of 2 slots, checkpoints to S3) with the"
                                + " recovery and state settings of the rendered prod overlay"
                                + " (`k8s/overlays/prod`: %s) runs the word-count jar submitted"
                                + " over REST, parallelism 2, exactly-once. A paced producer feeds"
                                + " %,d lines/s (event time = produce time). After %d s the"
                                + " TaskManager running its tasks gets `kill -9` and a replacement"
                                + " is started at once (as a Kubernetes Deployment would); feeding"
                                + " goes on for %d s. Afterwards every window's counts were"
                                + " verified exact (%,d counts: nothing lost or doubled across the"
                                + " failure). The breakdown comes from the JobManager's REST API:"
                                + " job status times (RESTARTING, RUNNING), the subtasks' RUNNING"
                                + " times and the checkpoint history.",
                        settings, rate, warmupSeconds, afterSeconds, expected.size());
                section.line("");
                section.line("| | |");
                section.line("|---|---|");
                section.line(
                        "| steady-state latency before the kill (window end → visible), median | %,d ms |",
                        figures.steadyLatency);
                section.line(
                        "| kill → first new output visible | **%,.1f s** |", figures.resumeSeconds);
                if (breakdown != null) {
                    double visible = figures.resumeSeconds - breakdown.checkpointed();
                    section.line(
                            "| of which: kill → job RESTARTING (failure detected) | %,.1f s |",
                            breakdown.detect());
                    section.line(
                            "| of which: RESTARTING → RUNNING (restart back-off) | %,.1f s |",
                            breakdown.restartDelay());
                    section.line(
                            "| of which: RUNNING → all subtasks RUNNING (deploy, state restore,"
                                    + " Kafka source and sink start) | %,.1f s |",
                            breakdown.tasksRunning());
                    section.line(
                            "| of which: all subtasks RUNNING → first checkpoint after the restore"
                                    + " completed | %,.1f s |",
                            breakdown.firstCheckpoint());
                    section.line(
                            "| of which: checkpoint completed → output visible (transaction"
                                    + " commit, consumer) | %,.1f s |",
                            visible);
                }
                section.line(
                        "| kill → output back to steady-state latency (+2 s) | %,.1f s |",
                        figures.caughtUpSeconds);
                section.line(
                        "| catch-up rate (lines in windows made visible from resume to caught up, per second) | **%,.0f lines/s** (%.1f× the input rate) |",
                        figures.catchUpRate, figures.catchUpRate / rate);
                section.line(
                        "| backlog at resume (lines in windows not yet visible) | %,d lines |",
                        figures.backlog);
                section.bar(
                        "Recovery after a TaskManager kill (s)",
                        "kill → output resumes",
                        figures.resumeSeconds,
                        "s");
                section.bar(
                        "Recovery after a TaskManager kill (s)",
                        "kill → caught up",
                        figures.caughtUpSeconds,
                        "s");
            }
        }
        return section;
    }

    /**
     * Where the time from the kill to the first committed output went, from the JobManager's REST
     * API: seconds from the kill to the job's RESTARTING, on to RUNNING (the restart back-off), on
     * to the last subtask RUNNING, on to the completion of the first checkpoint triggered after
     * that; {@link #checkpointed()} is the sum (kill to the commit-triggering checkpoint).
     */
    record Breakdown(
            double detect, double restartDelay, double tasksRunning, double firstCheckpoint) {
        double checkpointed() {
            return detect + restartDelay + tasksRunning + firstCheckpoint;
        }

        static Breakdown of(FlinkRestClient rest, String job, long killedAt) throws Exception {
            JsonNode details = rest.get("/jobs/" + job);
            long restarting = details.at("/timestamps/RESTARTING").asLong();
            long running = details.at("/timestamps/RUNNING").asLong();
            long allRunning = running;
            for (JsonNode vertex : details.path("vertices")) {
                JsonNode times =
                        rest.get(
                                "/jobs/"
                                        + job
                                        + "/vertices/"
                                        + vertex.path("id").asText()
                                        + "/subtasktimes");
                for (JsonNode subtask : times.path("subtasks")) {
                    allRunning = Math.max(allRunning, subtask.at("/timestamps/RUNNING").asLong());
                }
            }
            long checkpointed = Long.MAX_VALUE;
            for (JsonNode checkpoint : rest.checkpoints(job).path("history")) {
                if (checkpoint.path("status").asText().equals("COMPLETED")
                        && checkpoint.path("trigger_timestamp").asLong() >= running) {
                    checkpointed =
                            Math.min(
                                    checkpointed, checkpoint.path("latest_ack_timestamp").asLong());
                }
            }
            if (restarting < killedAt || running < restarting || checkpointed == Long.MAX_VALUE) {
                throw new IllegalStateException(
                        "recovery: no restart after the kill in the REST API's times (RESTARTING "
                                + restarting
                                + ", RUNNING "
                                + running
                                + ", kill "
                                + killedAt
                                + ", first checkpoint "
                                + checkpointed
                                + ")");
            }
            return new Breakdown(
                    (restarting - killedAt) / 1000.0,
                    (running - restarting) / 1000.0,
                    (allRunning - running) / 1000.0,
                    (checkpointed - allRunning) / 1000.0);
        }

        @Override
        public String toString() {
            return String.format(
                    "detect %.1f s, restart delay %.1f s, tasks running %.1f s, first checkpoint"
                            + " %.1f s",
                    detect, restartDelay, tasksRunning, firstCheckpoint);
        }
    }

    /** What a kill did to the output, from the visibility times of its windows. */
    record RecoveryFigures(
            long steadyLatency,
            double resumeSeconds,
            double caughtUpSeconds,
            double catchUpRate,
            long backlog) {
        static RecoveryFigures of(
                List<CommittedWatcher.Seen> seen,
                TreeMap<Long, Long> linesPerWindow,
                long killedAt) {
            TreeMap<Long, Long> visible = new TreeMap<>();
            for (CommittedWatcher.Seen record : seen) {
                if (!WordCountInput.isSentinel(record)) {
                    visible.merge(
                            WordCountInput.windowStart(record.value()),
                            record.visibleAtMillis(),
                            Math::min);
                }
            }
            List<Double> before = new ArrayList<>();
            visible.forEach(
                    (window, at) -> {
                        if (at < killedAt) {
                            before.add((double) (at - window - WordCountInput.WINDOW_MILLIS));
                        }
                    });
            long steady =
                    (long) Stats.median(before.subList(Math.min(2, before.size()), before.size()));
            long resumedAt =
                    visible.values().stream()
                            .filter(at -> at > killedAt)
                            .min(Long::compare)
                            .orElseThrow();
            long caughtUpAt = resumedAt;
            for (Map.Entry<Long, Long> w : visible.entrySet()) {
                long latency = w.getValue() - w.getKey() - WordCountInput.WINDOW_MILLIS;
                if (w.getValue() > resumedAt && latency <= steady + 2000) {
                    caughtUpAt = w.getValue();
                    break;
                }
            }
            long caught = caughtUpAt;
            long lines = 0;
            long backlog = 0;
            for (Map.Entry<Long, Long> w : visible.entrySet()) {
                long at = w.getValue();
                if (at >= resumedAt && at <= caught) {
                    lines += linesPerWindow.getOrDefault(w.getKey(), 0L);
                }
                if (at >= resumedAt && w.getKey() < resumedAt) {
                    backlog += linesPerWindow.getOrDefault(w.getKey(), 0L);
                }
            }
            double seconds = Math.max(0.001, (caught - resumedAt) / 1000.0);
            return new RecoveryFigures(
                    steady,
                    (resumedAt - killedAt) / 1000.0,
                    (caught - killedAt) / 1000.0,
                    lines / seconds,
                    backlog);
        }
    }

    /** 7. Each job on one TaskManager of a given process size: does it still run at full speed? */
    Section memory() throws Exception {
        List<String> sizes =
                scale == BenchMain.Scale.SMOKE
                        ? List.of("1280m", "768m")
                        : List.of("2048m", "1536m", "1280m", "1024m", "896m", "768m");
        long lines = scale.wordCountLines / 2;
        long events = scale.stateMachineEvents / 2;
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        Map<String, Map<String, Double>> rates = new LinkedHashMap<>();
        for (String size : sizes) {
            Map<String, String> row = new LinkedHashMap<>();
            Map<String, Double> rowRates = new HashMap<>();
            Path dir = work.resolve("memory-" + size);
            deleteRecursively(dir);
            try (LocalStack stack =
                            LocalStack.start(
                                    dir, 1, Map.of("taskmanager.memory.process.size", size));
                    KafkaTestClient kafka = new KafkaTestClient(stack.bootstrapServers())) {
                BenchEnvironment.progress(
                        "[7/memory] TaskManager process size %s: cluster up", size);
                String wcInput = kafka.createUniqueTopic("mem-wc", PARTITIONS);
                String smInput = kafka.createUniqueTopic("mem-sm", PARTITIONS);
                WordCountInput wc;
                StateMachineInput sm;
                try (Loader loader = new Loader(stack.bootstrapServers())) {
                    wc =
                            WordCountInput.load(
                                    loader,
                                    wcInput,
                                    PARTITIONS,
                                    lines,
                                    Math.max(1, lines / 10),
                                    42,
                                    dir.resolve("payloads.txt"));
                    sm =
                            StateMachineInput.load(
                                    loader,
                                    Map.of(InputFormat.BINARY, smInput),
                                    100_000,
                                    events,
                                    7);
                }
                for (String job : List.of("wordcount", "statemachine")) {
                    String output = kafka.createUniqueTopic("mem-output", PARTITIONS);
                    boolean wordCount = job.equals("wordcount");
                    List<String> args =
                            kafkaArgs(stack, kafka, wordCount ? wcInput : smInput, output, true);
                    if (!wordCount) {
                        args.addAll(List.of("--input-format", "binary"));
                    }
                    try (CommittedWatcher watcher =
                            new CommittedWatcher(
                                    stack.bootstrapServers(),
                                    output,
                                    PARTITIONS,
                                    s -> !WordCountInput.isSentinel(s))) {
                        String id = stack.rest().submit(jar(job), null, 2, args, Optional.empty());
                        String state = awaitEnd(stack, id);
                        if (!state.equals("FINISHED")) {
                            row.put(job, "job " + state);
                            continue;
                        }
                        long expected = wordCount ? wc.expectedRecords() : sm.expectedAlerts();
                        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                        while (watcher.counted() < expected && System.nanoTime() < deadline) {
                            Thread.sleep(200);
                        }
                        Thread.sleep(1000);
                        if (wordCount) {
                            wc.verify(watcher.seen());
                        } else {
                            sm.verify(watcher.seen());
                        }
                        JsonNode details = stack.rest().get("/jobs/" + id);
                        double seconds = details.path("duration").asLong() / 1000.0;
                        double recordsPerSecond = (wordCount ? wc.lines : sm.events) / seconds;
                        rowRates.put(job, recordsPerSecond);
                        int restarts = countRestarts(stack, id);
                        row.put(
                                job,
                                String.format(
                                        "%,.0f %s/s%s",
                                        recordsPerSecond,
                                        wordCount ? "lines" : "events",
                                        restarts > 0 ? " (" + restarts + " restarts)" : ""));
                        BenchEnvironment.progress("[7/memory] %s %s: %s", size, job, row.get(job));
                    }
                }
                long tm = stack.pids().getOrDefault("taskmanager-1", -1L);
                row.put("rss", String.format("%.0f MiB", Proc.peakRssMib(tm)));
            } catch (Exception e) {
                String reason =
                        String.valueOf(e.getMessage())
                                .lines()
                                .filter(
                                        l ->
                                                l.contains("Exception")
                                                        || l.contains("must")
                                                        || l.contains("exceed")
                                                        || l.contains("memory"))
                                .findFirst()
                                .orElse(
                                        String.valueOf(e.getMessage())
                                                .lines()
                                                .findFirst()
                                                .orElse(""));
                BenchEnvironment.progress("[7/memory] %s: does not run: %s", size, reason);
                row.put("wordcount", "does not start");
                row.put("statemachine", "does not start");
                row.put("rss", "–");
                row.put("reason", reason.length() > 160 ? reason.substring(0, 160) + "…" : reason);
            }
            results.put(size, row);
            rates.put(size, rowRates);
        }
        Section section =
                new Section(
                        "7-memory", "7. Memory: the smallest TaskManager that sustains each job");
        section.line(
                "The local cluster with one TaskManager (2 slots, parallelism 2, RocksDB, checkpoints"
                        + " every 2 s to S3) at each `taskmanager.memory.process.size` (Flink's"
                        + " default memory fractions; the size of a Kubernetes TaskManager pod's"
                        + " memory request). Each job drains a pre-loaded input in `--bounded` mode:"
                        + " word count %,d lines, state machine %,d events of 100,000 machines;"
                        + " throughput = records / job duration (REST), output verified exact. *Peak"
                        + " RSS* is the TaskManager's VmHWM after both jobs.",
                lines, events);
        section.line("");
        section.line("| process size | word count | state machine | TaskManager peak RSS |");
        section.line("|---|---|---|---|");
        results.forEach(
                (size, row) ->
                        section.line(
                                "| %s | %s | %s | %s |",
                                size,
                                row.get("wordcount"),
                                row.get("statemachine"),
                                row.get("rss")));
        results.forEach(
                (size, row) -> {
                    if (row.containsKey("reason")) {
                        section.line("");
                        section.line("%s: `%s`", size, row.get("reason").replace('`', '\''));
                    }
                });
        section.line("");
        for (String job : List.of("wordcount", "statemachine")) {
            double best =
                    rates.values().stream()
                            .mapToDouble(r -> r.getOrDefault(job, 0.0))
                            .max()
                            .orElse(0);
            String smallest = "none";
            for (String size : sizes) {
                if (rates.get(size).getOrDefault(job, 0.0) >= 0.9 * best) {
                    smallest = size;
                }
            }
            section.line(
                    "- **%s**: smallest process size within 10 %% of its best throughput: **%s**.",
                    job, smallest);
        }
        return section;
    }

    private static String awaitEnd(LocalStack stack, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (System.nanoTime() < deadline) {
            String state = stack.rest().jobState(id);
            if (List.of("FINISHED", "FAILED", "CANCELED").contains(state)) {
                return state;
            }
            Thread.sleep(500);
        }
        return "TIMED OUT";
    }

    private static int countRestarts(LocalStack stack, String id) {
        try {
            JsonNode exceptions = stack.rest().get("/jobs/" + id + "/exceptions");
            return exceptions.path("exceptionHistory").path("entries").size();
        } catch (Exception e) {
            return 0;
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
