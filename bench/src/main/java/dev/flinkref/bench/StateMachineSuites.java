package dev.flinkref.bench;

import dev.flinkref.localcluster.FlinkRestClient;
import dev.flinkref.localcluster.ProdOverlay;
import dev.flinkref.statemachine.InputFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/** Measurements 4 (state machine vs a StateMachineExample-style job) and 5 (checkpoints). */
final class StateMachineSuites {
    private static final int PARTITIONS = BenchEnvironment.PARTITIONS;
    private static final String JOB = "dev.flinkref.statemachine.StateMachineJob";

    private final BenchEnvironment env;
    private final BenchMain.Scale scale;

    StateMachineSuites(BenchEnvironment env, BenchMain.Scale scale) {
        this.env = env;
        this.scale = scale;
    }

    private StateMachineInput load(Map<InputFormat, String> topics, int machines, long events) {
        BenchEnvironment.progress(
                "loading %,d events of %,d machines into %s", events, machines, topics.values());
        try (Loader loader = new Loader(env.bootstrap())) {
            StateMachineInput input = StateMachineInput.load(loader, topics, machines, events, 7);
            BenchEnvironment.progress(
                    "loaded; %,d live machines, %,d alerts expected",
                    input.liveMachines, input.expectedAlerts());
            return input;
        }
    }

    /** The real job on one input format; {@code sampler} (may be null) watches its REST API. */
    Measurement runJob(
            String label,
            StateMachineInput input,
            String topic,
            InputFormat format,
            Duration interval,
            RestSampler sampler)
            throws Exception {
        return runJob(
                label,
                env.jobJar("statemachine"),
                input,
                topic,
                format,
                interval,
                sampler,
                Map.of(),
                List.of());
    }

    /**
     * As above, with the job's shaded jar at {@code jar} (e.g. a baseline build to compare) and
     * {@code jobArgs} after the standard ones (e.g. {@code --implementation reference}).
     */
    Measurement runJob(
            String label,
            java.nio.file.Path jar,
            StateMachineInput input,
            String topic,
            InputFormat format,
            Duration interval,
            RestSampler sampler,
            Map<String, String> cluster,
            List<String> jobArgs)
            throws Exception {
        String output = env.topic("sm-output", PARTITIONS);
        String group = output.replace("output", "group");
        BenchEnvironment.FlinkConf conf = env.flinkConf(label, interval, cluster);
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                env.bootstrap(),
                                "--input-topic",
                                topic,
                                "--output-topic",
                                output,
                                "--dlq-topic",
                                env.topic("sm-dlq", 1),
                                "--group-id",
                                group,
                                "--transactional-id-prefix",
                                group,
                                "--input-format",
                                format.name().toLowerCase()));
        args.addAll(jobArgs);
        // The checkpoint runs stay unbounded (their sampler needs the job running until its input
        // is drained) and stop once every alert is visible.
        boolean bounded = sampler == null;
        if (bounded) {
            args.add("--bounded");
        }
        if (!bounded) {
            sampler.start(conf.restUrl());
        }
        try {
            return env.measure(
                    new BenchEnvironment.FlinkJob(label, List.of(jar), JOB, args),
                    conf,
                    bounded,
                    input.events,
                    output,
                    input.expectedAlerts(),
                    seen -> true,
                    input::verify);
        } finally {
            if (!bounded) {
                sampler.stop();
            }
        }
    }

    Measurement runExample(String label, StateMachineInput input, String binaryTopic)
            throws Exception {
        String output = env.topic("naive-output", PARTITIONS);
        BenchEnvironment.FlinkConf conf = env.flinkConf(label, Duration.ofSeconds(10));
        List<String> args = List.of(env.bootstrap(), binaryTopic, output, output);
        return env.measure(
                new BenchEnvironment.FlinkJob(
                        label,
                        List.of(env.jobJar("statemachine"), env.benchClasses()),
                        NaiveStateMachineJob.class.getName(),
                        args),
                conf,
                true,
                input.events,
                output,
                input.expectedAlerts(),
                seen -> true,
                input::verify);
    }

    /**
     * 4. JSON input, binary input, the reference implementation (binary input), and the
     * StateMachineExample-style job, same events.
     */
    Section versusExample() throws Exception {
        int machines = (int) Math.min(100_000, scale.stateMachineEvents / 10);
        Map<InputFormat, String> topics = new LinkedHashMap<>();
        topics.put(InputFormat.JSON, env.topic("sm-json", PARTITIONS));
        topics.put(InputFormat.BINARY, env.topic("sm-binary", PARTITIONS));
        StateMachineInput input = load(topics, machines, scale.stateMachineEvents);
        String json = "This repo's job, JSON input";
        String binary = "This repo's job, binary input";
        String reference =
                "This repo's job, reference implementation (KeyedProcessFunction), binary input";
        String example = "StateMachineExample-style job, binary input";
        Map<String, List<Measurement>> runs = new LinkedHashMap<>();
        runs.put(json, new ArrayList<>());
        runs.put(binary, new ArrayList<>());
        runs.put(reference, new ArrayList<>());
        runs.put(example, new ArrayList<>());
        // --sm-base-jar: also run that build of the job (e.g. main's) in the same rounds.
        BenchKnobs knobs = BenchKnobs.current();
        String baseJar = knobs.stateMachineBaseJar().map(java.nio.file.Path::toString).orElse(null);
        String base = "Baseline build of this repo's job (" + baseJar + "), binary input";
        if (baseJar != null) {
            runs.put(base, new ArrayList<>());
        }
        List<String> order = new ArrayList<>(runs.keySet());
        // --sm-variants (e.g. binary,example) runs only those, to iterate faster; the section
        // then lacks the other rows.
        if (!knobs.stateMachineVariants().isEmpty()) {
            List<String> wanted = knobs.stateMachineVariants();
            order.removeIf(
                    which ->
                            !wanted.contains(
                                    which.equals(json)
                                            ? "json"
                                            : which.equals(binary)
                                                    ? "binary"
                                                    : which.equals(reference)
                                                            ? "reference"
                                                            : which.equals(example)
                                                                    ? "example"
                                                                    : "base"));
        }
        int repeats = knobs.stateMachineRepeats().orElse(scale.repeats);
        LoadSampler loadAverage = new LoadSampler();
        for (int r = 0; r < repeats; r++) {
            List<String> round = new ArrayList<>(order);
            if (r % 2 == 1) {
                java.util.Collections.reverse(round);
            }
            for (String which : round) {
                Duration interval = Duration.ofSeconds(10);
                Measurement m =
                        which.equals(reference)
                                ? runJob(
                                        "sm-reference",
                                        env.jobJar("statemachine"),
                                        input,
                                        topics.get(InputFormat.BINARY),
                                        InputFormat.BINARY,
                                        interval,
                                        null,
                                        Map.of(),
                                        List.of("--implementation", "reference"))
                                : which.equals(base)
                                        ? runJob(
                                                "sm-base",
                                                java.nio.file.Path.of(baseJar),
                                                input,
                                                topics.get(InputFormat.BINARY),
                                                InputFormat.BINARY,
                                                interval,
                                                null,
                                                Map.of(),
                                                List.of())
                                        : which.equals(json)
                                                ? runJob(
                                                        "sm-json",
                                                        input,
                                                        topics.get(InputFormat.JSON),
                                                        InputFormat.JSON,
                                                        interval,
                                                        null)
                                                : which.equals(binary)
                                                        ? runJob(
                                                                "sm-binary",
                                                                input,
                                                                topics.get(InputFormat.BINARY),
                                                                InputFormat.BINARY,
                                                                interval,
                                                                null)
                                                        : runExample(
                                                                "sm-example",
                                                                input,
                                                                topics.get(InputFormat.BINARY));
                BenchEnvironment.progress("[4/state machine] run %d/%d %s", r + 1, repeats, m);
                runs.get(which).add(m);
            }
        }
        loadAverage.close();
        BenchEnvironment.progress("[4/state machine] load average: %s", loadAverage.summary());
        List<Measurement> binaryRuns = runs.get(binary);
        List<Measurement> exampleRuns = runs.get(example);
        for (int r = 0; r < Math.min(binaryRuns.size(), exampleRuns.size()); r++) {
            Measurement b = binaryRuns.get(r);
            Measurement e = exampleRuns.get(r);
            BenchEnvironment.progress(
                    "[4/state machine] round %d: binary / example %.2fx events/s, %.2fx per CPU-s",
                    r + 1,
                    b.recordsPerSecond() / e.recordsPerSecond(),
                    b.recordsPerJobCpuSecond() / e.recordsPerJobCpuSecond());
        }
        List<Measurement> referenceRuns = runs.get(reference);
        for (int r = 0; r < Math.min(binaryRuns.size(), referenceRuns.size()); r++) {
            BenchEnvironment.progress(
                    "[4/state machine] round %d: optimized / reference %.2fx events/s, %.2fx per"
                            + " CPU-s",
                    r + 1,
                    binaryRuns.get(r).recordsPerSecond() / referenceRuns.get(r).recordsPerSecond(),
                    binaryRuns.get(r).recordsPerJobCpuSecond()
                            / referenceRuns.get(r).recordsPerJobCpuSecond());
        }
        if (runs.containsKey(base)) {
            List<Measurement> baseRuns = runs.get(base);
            for (int r = 0; r < Math.min(baseRuns.size(), exampleRuns.size()); r++) {
                BenchEnvironment.progress(
                        "[4/state machine] round %d: baseline / example %.2fx events/s, %.2fx per"
                                + " CPU-s; binary / baseline %.2fx per CPU-s",
                        r + 1,
                        baseRuns.get(r).recordsPerSecond() / exampleRuns.get(r).recordsPerSecond(),
                        baseRuns.get(r).recordsPerJobCpuSecond()
                                / exampleRuns.get(r).recordsPerJobCpuSecond(),
                        binaryRuns.get(r).recordsPerJobCpuSecond()
                                / baseRuns.get(r).recordsPerJobCpuSecond());
            }
        }
        Section section =
                new Section(
                        "4-statemachine",
                        "4. State machine: JSON, binary, the reference implementation and a"
                                + " StateMachineExample-style job");
        section.line(
                "%,d events of %,d concurrent state machines (1 %% invalid: %,d alerts), the same events in"
                        + " both formats (JSON %,d bytes, binary %,d bytes), %d partitions keyed by address,"
                        + " parallelism 2, exactly-once, RocksDB, checkpoints every 10 s. The reference"
                        + " implementation is the same job with `--implementation reference`: the"
                        + " plain `KeyedProcessFunction` (`StateMachineFunction`), one RocksDB read and"
                        + " write per event, instead of the optimized operator's write-back cache. The"
                        + " StateMachineExample-style job (`bench/.../NaiveStateMachineJob.java`) has the"
                        + " same DFA, source, sink and output format, but is written as Flink's example"
                        + " is: immutable event/alert classes that Flink serializes with Kryo, a lambda"
                        + " key selector, `ValueState` by class, no TTL, no dead-letter path. Every run's"
                        + " alerts were read back with `read_committed` and matched the generator's"
                        + " expected alerts exactly.",
                input.events,
                machines,
                input.expectedAlerts(),
                input.bytes.get(InputFormat.JSON),
                input.bytes.get(InputFormat.BINARY),
                PARTITIONS);
        section.line("");
        section.line(
                "Load average of the 2-core machine during these runs (the measured job and the"
                        + " broker included): %s.",
                loadAverage.summary());
        section.line("");
        WordCountSuites.throughputTable(section, runs, "events");
        double binaryRate = Stats.median(WordCountSuites.rates(runs.get(binary), false));
        double jsonRate = Stats.median(WordCountSuites.rates(runs.get(json), false));
        double exampleRate = Stats.median(WordCountSuites.rates(runs.get(example), false));
        double referenceRate = Stats.median(WordCountSuites.rates(runs.get(reference), false));
        double binaryPerCpu = Stats.median(WordCountSuites.rates(runs.get(binary), true));
        section.line("");
        section.line(
                "**Binary / JSON: %.2f×; this repo's job (binary) / StateMachineExample-style: %.2f×"
                        + " (per job CPU-second: %.2f×); optimized operator / reference"
                        + " implementation: %.2f× (per job CPU-second: %.2f×).**",
                binaryRate / jsonRate,
                binaryRate / exampleRate,
                binaryPerCpu / Stats.median(WordCountSuites.rates(runs.get(example), true)),
                binaryRate / referenceRate,
                binaryPerCpu / Stats.median(WordCountSuites.rates(runs.get(reference), true)));
        for (Map.Entry<String, List<Measurement>> entry : runs.entrySet()) {
            section.bar(
                    "State machine, events per job CPU-second",
                    entry.getKey(),
                    Stats.median(WordCountSuites.rates(entry.getValue(), true)),
                    "events/CPU-s");
        }
        return section;
    }

    /** 5. Checkpoints of the real job with 1 M and 10 M live machines, while it drains input. */
    Section checkpoints(int[] liveMachines) throws Exception {
        Section section =
                new Section(
                        "5-checkpoints",
                        "5. RocksDB incremental checkpoints with many live state machines");
        section.line(
                "The state-machine job (binary input, parallelism 2, RocksDB, incremental"
                        + " checkpoints every 5 s to the local disk; unbounded, stopped once its"
                        + " input is drained and every alert is visible) draining one event per generator"
                        + " slot as fast as it can (*live machines*: addresses in state at the end,"
                        + " i.e. seen and not terminated); checkpoint statistics from the job's REST API"
                        + " (`/jobs/:id/checkpoints`), throughput sampled from its source's"
                        + " `write-records` every 0.5 s. *Full* is the checkpoint's whole state size;"
                        + " *incremental* is what that checkpoint actually uploaded. The dip compares"
                        + " the records/s while a checkpoint is in flight with the rate outside"
                        + " checkpoints. Where a checkpoint's time goes, from"
                        + " `/jobs/:id/checkpoints/details/:cid/subtasks/:vertex` of its slowest"
                        + " task (maximum over subtasks), p50 / p99 over the checkpoints: *barrier"
                        + " delay* (trigger to the barrier reaching the task: it queues behind"
                        + " buffered records under backpressure), *sync part* (the task stopped:"
                        + " RocksDB flushes its memtables and takes a native checkpoint) and"
                        + " *async part* (files uploaded). Alerts verified exact in each run.");
        // Production's state settings, read from the rendered prod overlay (not retyped), and the
        // managed memory of its TaskManager pod, of which RocksDB's block cache and write buffers
        // are made. Without it the MiniCluster gives RocksDB its local default (128 MiB for both
        // slots): at 10 M machines every read of a new address then went to the files.
        Map<String, String> prod = prodStateSettings(env.repo, "statemachine");
        BenchEnvironment.progress("[5/checkpoints] settings of k8s/overlays/prod: %s", prod);
        section.line("");
        section.line(
                "Settings of the rendered prod overlay (`k8s/overlays/prod`): %s.",
                prod.entrySet().stream()
                        .map(e -> "`" + e.getKey() + ": " + e.getValue() + "`")
                        .collect(java.util.stream.Collectors.joining(", ")));
        section.line("");
        section.line(
                "| live machines | events | events/s | checkpoints | duration p50 / p99 | of which barrier delay | sync part | async part | full size (median) | incremental size (median) | incremental / full | throughput during checkpoints vs outside |");
        section.line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int target : liveMachines) {
            // One event per generator slot on average touches 63 % of the slots, and few of those
            // machines reach Terminal: 1.6 slots per target live machine.
            int machines = target + target * 3 / 5;
            String topic = env.topic("sm-ckpt", PARTITIONS);
            StateMachineInput input = load(Map.of(InputFormat.BINARY, topic), machines, machines);
            RestSampler sampler = new RestSampler();
            Measurement m =
                    runJob(
                            "sm-ckpt-" + machines,
                            env.jobJar("statemachine"),
                            input,
                            topic,
                            InputFormat.BINARY,
                            Duration.ofSeconds(5),
                            sampler,
                            prod,
                            List.of());
            BenchEnvironment.progress("[5/checkpoints] %,d machines: %s", machines, m);
            CheckpointStats stats = sampler.analyse();
            BenchEnvironment.progress("[5/checkpoints] %s", stats);
            section.line(
                    "| %,d | %,d | %,.0f | %d | %,d ms / %,d ms | %s | %s | %s | %s | %s | %.1f %% | %s |",
                    input.liveMachines,
                    input.events,
                    m.recordsPerSecond(),
                    stats.count,
                    stats.p50,
                    stats.p99,
                    stats.phases.get(0),
                    stats.phases.get(1),
                    stats.phases.get(2),
                    mib(stats.fullSize),
                    mib(stats.incrementalSize),
                    stats.incrementalSize * 100.0 / Math.max(1, stats.fullSize),
                    stats.dip);
        }
        return section;
    }

    /**
     * The overlay's {@link ProdOverlay#STATE_KEYS} of FlinkDeployment {@code name}, plus the
     * managed memory Flink gives a TaskManager of its pods' memory (the operator sets the process
     * size to it), for the MiniCluster's one TaskManager.
     */
    static Map<String, String> prodStateSettings(java.nio.file.Path repo, String name)
            throws Exception {
        JsonNode deployment = ProdOverlay.deployment(repo, name);
        Map<String, String> settings =
                ProdOverlay.select(
                        ProdOverlay.flinkConfiguration(deployment), ProdOverlay.STATE_KEYS);
        Configuration pod = Configuration.fromMap(settings);
        pod.set(
                TaskManagerOptions.TOTAL_PROCESS_MEMORY,
                MemorySize.parse(deployment.at("/spec/taskManager/resource/memory").asText()));
        MemorySize managed =
                TaskExecutorProcessUtils.processSpecFromConfig(pod).getManagedMemorySize();
        settings.put(TaskManagerOptions.MANAGED_MEMORY_SIZE.key(), managed.toString());
        return settings;
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1024.0 / 1024.0);
    }

    /** {@code phases}: the slowest task's barrier delay, sync and async part, "p50 / p99 ms". */
    record CheckpointStats(
            int count,
            long p50,
            long p99,
            long fullSize,
            long incrementalSize,
            String dip,
            List<String> phases) {}

    /** Polls a job's REST API: the source's record count and the checkpoint history. */
    static final class RestSampler {
        private final List<long[]> samples = new ArrayList<>();

        /** Per completed checkpoint id: its slowest task's barrier delay, sync and async (ms). */
        private final Map<Long, long[]> phases = new java.util.concurrent.ConcurrentHashMap<>();

        private volatile JsonNode history;
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread thread;

        void start(String restUrl) {
            running.set(true);
            FlinkRestClient rest = new FlinkRestClient(restUrl);
            thread =
                    new Thread(
                            () -> {
                                String job = null;
                                while (running.get()) {
                                    try {
                                        if (job == null) {
                                            JsonNode jobs = rest.get("/jobs/overview").path("jobs");
                                            job =
                                                    jobs.size() > 0
                                                            ? jobs.get(0).path("jid").asText()
                                                            : null;
                                        }
                                        if (job != null) {
                                            JsonNode source =
                                                    rest.get("/jobs/" + job)
                                                            .path("vertices")
                                                            .get(0);
                                            long written =
                                                    source.path("metrics")
                                                            .path("write-records")
                                                            .asLong();
                                            synchronized (samples) {
                                                samples.add(
                                                        new long[] {
                                                            System.currentTimeMillis(), written
                                                        });
                                            }
                                            history =
                                                    rest.get("/jobs/" + job + "/checkpoints")
                                                            .path("history");
                                            recordPhases(rest, job);
                                        }
                                    } catch (Exception e) {
                                        // not up yet, or already gone
                                    }
                                    try {
                                        Thread.sleep(500);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            },
                            "rest-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * For each newly completed checkpoint, where the slowest task spent it: the barrier's start
         * delay (backpressure: the barrier waits behind buffered records), the synchronous part
         * (the task stopped) and the asynchronous part, each the maximum over its subtasks.
         */
        private void recordPhases(FlinkRestClient rest, String job) throws Exception {
            if (history == null) {
                return;
            }
            for (JsonNode checkpoint : history) {
                long id = checkpoint.path("id").asLong();
                if (!checkpoint.path("status").asText().equals("COMPLETED")
                        || phases.containsKey(id)) {
                    continue;
                }
                long[] slowest = null;
                // The history lists no tasks; the checkpoint's details do.
                JsonNode details = rest.get("/jobs/%s/checkpoints/details/%d".formatted(job, id));
                for (var task : details.path("tasks").properties()) {
                    JsonNode summary =
                            rest.get(
                                            "/jobs/%s/checkpoints/details/%d/subtasks/%s"
                                                    .formatted(job, id, task.getKey()))
                                    .path("summary");
                    long[] phase = {
                        summary.path("end_to_end_duration").path("max").asLong(),
                        summary.path("start_delay").path("max").asLong(),
                        summary.path("checkpoint_duration").path("sync").path("max").asLong(),
                        summary.path("checkpoint_duration").path("async").path("max").asLong()
                    };
                    if (slowest == null || phase[0] > slowest[0]) {
                        slowest = phase;
                    }
                }
                if (slowest != null) {
                    phases.put(id, slowest);
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }

        CheckpointStats analyse() {
            List<long[]> points;
            synchronized (samples) {
                points = new ArrayList<>(samples);
            }
            // Only while records flow: from the first to the last change of the source's count.
            long firstChange = Long.MAX_VALUE;
            long lastChange = 0;
            for (int i = 1; i < points.size(); i++) {
                if (points.get(i)[1] != points.get(i - 1)[1]) {
                    firstChange = Math.min(firstChange, points.get(i - 1)[0]);
                    lastChange = points.get(i)[0];
                }
            }
            List<long[]> inFlight = new ArrayList<>();
            List<Double> durations = new ArrayList<>();
            List<Double> full = new ArrayList<>();
            List<Double> incremental = new ArrayList<>();
            List<List<Double>> phaseTimes =
                    List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            if (history != null) {
                for (JsonNode checkpoint : history) {
                    long trigger = checkpoint.path("trigger_timestamp").asLong();
                    if (!checkpoint.path("status").asText().equals("COMPLETED")
                            || trigger > lastChange) {
                        continue;
                    }
                    long duration = checkpoint.path("end_to_end_duration").asLong();
                    inFlight.add(new long[] {trigger, trigger + duration});
                    durations.add((double) duration);
                    full.add(checkpoint.path("state_size").asDouble());
                    incremental.add(checkpoint.path("checkpointed_size").asDouble());
                    long[] phase = phases.get(checkpoint.path("id").asLong());
                    if (phase != null) {
                        for (int i = 0; i < 3; i++) {
                            phaseTimes.get(i).add((double) phase[i + 1]);
                        }
                    }
                }
            }
            double during = 0;
            double duringTime = 0;
            double outside = 0;
            double outsideTime = 0;
            for (int i = 1; i < points.size(); i++) {
                long[] a = points.get(i - 1);
                long[] b = points.get(i);
                if (a[0] < firstChange || b[0] > lastChange || b[1] < a[1]) {
                    continue;
                }
                long mid = (a[0] + b[0]) / 2;
                boolean checkpointing = inFlight.stream().anyMatch(c -> c[0] <= mid && mid <= c[1]);
                if (checkpointing) {
                    during += b[1] - a[1];
                    duringTime += b[0] - a[0];
                } else {
                    outside += b[1] - a[1];
                    outsideTime += b[0] - a[0];
                }
            }
            String dip =
                    duringTime == 0 || outsideTime == 0
                            ? "n/a (too few samples)"
                            : String.format(
                                    "%,.0f vs %,.0f events/s (%+.0f %%)",
                                    during / duringTime * 1000,
                                    outside / outsideTime * 1000,
                                    ((during / duringTime) / (outside / outsideTime) - 1) * 100);
            List<String> phaseFigures = new ArrayList<>();
            for (List<Double> times : phaseTimes) {
                phaseFigures.add(
                        times.isEmpty()
                                ? "n/a"
                                : String.format(
                                        "%,d / %,d ms",
                                        (long) Stats.percentile(times, 50),
                                        (long) Stats.percentile(times, 99)));
            }
            return new CheckpointStats(
                    durations.size(),
                    (long) Stats.percentile(durations, 50),
                    (long) Stats.percentile(durations, 99),
                    (long) Stats.median(full),
                    (long) Stats.median(incremental),
                    dip,
                    phaseFigures);
        }
    }
}
