package dev.flinkref.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measurements 1-3 on one pre-loaded word-count input: the job against Kafka Streams, the Kafka
 * ceiling (pass-through job and Kafka's perf tools), and exactly-once against at-least-once.
 */
final class WordCountSuites {
    private static final int PARTITIONS = BenchEnvironment.PARTITIONS;
    private static final String JOB = "dev.flinkref.wordcount.WordCountJob";

    private final BenchEnvironment env;
    private final String inputTopic;
    private final WordCountInput input;
    private final Path payloads;

    /** Medians of measurement 1, for measurement 2's fractions (NaN until it ran). */
    private double flinkLinesPerSecond = Double.NaN;

    private double streamsLinesPerSecond = Double.NaN;

    WordCountSuites(BenchEnvironment env, long lines) throws Exception {
        this.env = env;
        this.inputTopic = env.topic("wc-input", PARTITIONS);
        this.payloads = env.work.resolve("wordcount-payloads.txt");
        BenchEnvironment.progress("loading %,d lines into %s", lines, inputTopic);
        try (Loader loader = new Loader(env.bootstrap())) {
            // 10 lines per event-time ms: a 5 s window holds 50,000 lines; output is ~2 % of input.
            input =
                    WordCountInput.load(
                            loader,
                            inputTopic,
                            PARTITIONS,
                            lines,
                            Math.max(1, lines / 10),
                            42,
                            payloads);
        }
        BenchEnvironment.progress(
                "loaded %,d lines, %,d words, %,d bytes, %,d expected counts",
                input.lines, input.words, input.inputBytes, input.expectedRecords());
    }

    WordCountInput input() {
        return input;
    }

    String inputTopic() {
        return inputTopic;
    }

    /** The word-count job, bounded, at a checkpoint interval and delivery guarantee. */
    Measurement runFlink(String label, Duration interval, String guarantee) throws Exception {
        return runFlink(label, interval, guarantee, env.jobJar("wordcount"));
    }

    Measurement runFlink(String label, Duration interval, String guarantee, Path jar)
            throws Exception {
        String output = env.topic("wc-output", PARTITIONS);
        String group = output.replace("output", "group");
        BenchEnvironment.FlinkConf conf = env.flinkConf(label, interval);
        List<String> args =
                List.of(
                        "--bootstrap-servers",
                        env.bootstrap(),
                        "--input-topic",
                        inputTopic,
                        "--output-topic",
                        output,
                        "--dlq-topic",
                        env.topic("wc-dlq", 1),
                        "--late-topic",
                        env.topic("wc-late", 1),
                        "--group-id",
                        group,
                        "--transactional-id-prefix",
                        group,
                        "--delivery-guarantee",
                        guarantee,
                        "--bounded");
        return env.measure(
                new BenchEnvironment.FlinkJob(label, List.of(jar), JOB, args),
                conf,
                true,
                input.lines,
                output,
                input.expectedRecords(),
                seen -> !WordCountInput.isSentinel(seen),
                input::verify);
    }

    /**
     * The Kafka Streams peer with as many stream threads as the job has parallel subtasks, on its
     * own copy of the input. Once its committed offsets reach the end of that input, sentinels
     * close its last windows; its time ends, as the job's, when the last expected count is visible.
     */
    Measurement runKafkaStreams(String label) throws Exception {
        String copy = env.topic("ks-input", PARTITIONS);
        try (Loader loader = new Loader(env.bootstrap())) {
            input.copyTo(loader, copy, 42);
        }
        String output = env.topic("ks-output", PARTITIONS);
        String app = output.replace("output", "app");
        Path state = env.work.resolve("runs").resolve(app);
        List<String> args =
                List.of(
                        env.bootstrap(),
                        copy,
                        output,
                        app,
                        String.valueOf(PARTITIONS),
                        state.toString());
        try (CommittedWatcher watcher = new CommittedWatcher(env.bootstrap(), output, PARTITIONS)) {
            double brokerBefore = Proc.cpuSeconds(env.broker.pid());
            long start = System.currentTimeMillis();
            try (Child streams =
                    Child.harnessClass(
                            label,
                            KafkaStreamsWordCount.class.getName(),
                            args,
                            state.resolve("app.log"))) {
                long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
                while (committedOffsets(app, copy) < input.lines) {
                    streams.cpuSeconds();
                    if (!streams.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                label + ": did not consume its input" + streams.tail());
                    }
                    Thread.sleep(100);
                }
                // Every line's words are now in the repartition topic, so the sentinels' words
                // come after them in each of its partitions: none of them can turn out late.
                try (Loader loader = new Loader(env.bootstrap())) {
                    input.appendSentinels(loader, copy);
                }
                while (watcher.count() < input.expectedRecords()) {
                    streams.cpuSeconds();
                    if (!streams.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                label
                                        + ": output incomplete, "
                                        + watcher.count()
                                        + " of "
                                        + input.expectedRecords()
                                        + streams.tail());
                    }
                    Thread.sleep(100);
                }
                Measurement m =
                        new Measurement(
                                label,
                                input.lines,
                                (watcher.lastCountedVisibleAt() - start) / 1000.0,
                                streams.cpuSeconds(),
                                Proc.cpuSeconds(env.broker.pid()) - brokerBefore);
                Thread.sleep(2000);
                input.verify(watcher.seen());
                return m;
            }
        }
    }

    /** The group's committed offsets on {@code topic}'s partitions (not its internal topics). */
    private long committedOffsets(String group, String topic) throws Exception {
        return env
                .kafka
                .admin()
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .entrySet()
                .stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }

    /** The steady-state rates of every pass-through run, in order. */
    private final List<SteadyRateSampler.SteadyRates> passThroughSteady = new ArrayList<>();

    /** The transactional pass-through job: a copy of the input topic. */
    Measurement runPassThrough(String label) throws Exception {
        String output = env.topic("copy-output", PARTITIONS);
        BenchEnvironment.FlinkConf conf = env.flinkConf(label, Duration.ofSeconds(10));
        List<String> args = List.of(env.bootstrap(), inputTopic, output, output);
        try (SteadyRateSampler sampler = new SteadyRateSampler(conf.restUrl())) {
            Measurement measurement =
                    env.measure(
                            new BenchEnvironment.FlinkJob(
                                    label,
                                    List.of(env.jobJar("wordcount"), env.benchClasses()),
                                    PassThroughJob.class.getName(),
                                    args),
                            conf,
                            true,
                            input.records(),
                            output,
                            (int) input.records(),
                            seen -> true,
                            input::verifyCopy);
            java.util.Optional<SteadyRateSampler.SteadyRates> steady = sampler.rates();
            if (steady.isPresent()) {
                BenchEnvironment.progress(
                        "%s steady state: source %,.0f/s, sink %,.0f/s",
                        label, steady.get().source(), steady.get().sink());
                passThroughSteady.add(steady.get());
            } else {
                BenchEnvironment.progress(
                        "%s: no steady state (records flowed for less than two samples, or the"
                                + " REST counters could not be read: %s)",
                        label, sampler.problem());
            }
            return measurement;
        }
    }

    /** 1. The job against Kafka Streams, alternating which goes first. */
    Section versusKafkaStreams(int repeats) throws Exception {
        Map<String, List<Measurement>> runs = new LinkedHashMap<>();
        runs.put("Flink word count (this repo)", new ArrayList<>());
        runs.put("Kafka Streams word count", new ArrayList<>());
        // --wc-base-jar: also run that build of the job (e.g. main's) in the same rounds, for A/B;
        // its row is not part of the ratios.
        String baseJar = BenchKnobs.current().wordCountBaseJar().map(Path::toString).orElse(null);
        String base = "Baseline build of the job (" + baseJar + ")";
        List<String> order = new ArrayList<>(runs.keySet());
        if (baseJar != null) {
            runs.put(base, new ArrayList<>());
            order.add(base);
        }
        for (int r = 0; r < repeats; r++) {
            List<String> round = new ArrayList<>(order);
            if (r % 2 == 1) {
                java.util.Collections.reverse(round);
            }
            for (String which : round) {
                Measurement m =
                        which.equals(base)
                                ? runFlink(
                                        "flink-wordcount-base",
                                        Duration.ofSeconds(10),
                                        "exactly-once",
                                        Path.of(baseJar))
                                : which.startsWith("Flink")
                                        ? runFlink(
                                                "flink-wordcount",
                                                Duration.ofSeconds(10),
                                                "exactly-once")
                                        : runKafkaStreams("kafka-streams-wordcount");
                BenchEnvironment.progress(
                        "[1/wordcount vs Kafka Streams] run %d/%d %s", r + 1, repeats, m);
                runs.get(which).add(m);
            }
        }
        Section section =
                new Section(
                        "1-wordcount-vs-kafka-streams", "1. Word count: Flink vs Kafka Streams");
        section.line(
                "Same broker, same pre-loaded input (%,d lines, %,d words, %d partitions), 5 s"
                        + " tumbling event-time windows with 1 s out-of-orderness, 2 parallel"
                        + " subtasks / 2 stream threads, exactly-once (Flink: checkpoints every 10 s,"
                        + " the job's default; Kafka Streams: `exactly_once_v2`, its default 100 ms"
                        + " commit interval), RocksDB state in both. Kafka Streams needs 5 min of"
                        + " grace instead of 1 s (no watermark aligned across partitions: with 1 s"
                        + " it dropped a sixth of the counts as late), and has no end of input: once"
                        + " its committed offsets reach the end of its copy of the input, sentinel"
                        + " lines close its last windows (polled every 0.1 s). Every run's"
                        + " %,d window counts were read back with `read_committed` and matched the"
                        + " expected counts exactly.",
                input.lines, input.words, PARTITIONS, input.expectedRecords());
        section.line("");
        throughputTable(section, runs, "lines");
        List<Double> flink = rates(runs.get("Flink word count (this repo)"), true);
        List<Double> streams = rates(runs.get("Kafka Streams word count"), true);
        double perCore = Stats.median(flink) / Stats.median(streams);
        flinkLinesPerSecond = Stats.median(rates(runs.get("Flink word count (this repo)"), false));
        streamsLinesPerSecond = Stats.median(rates(runs.get("Kafka Streams word count"), false));
        double wall = flinkLinesPerSecond / streamsLinesPerSecond;
        section.line("");
        section.line(
                "**Ratio Flink / Kafka Streams: %.2f× per CPU-second of the job's process, %.2f×"
                        + " in wall-clock throughput; %.2f× per CPU-second of job and broker"
                        + " together** (Kafka Streams also keeps the broker busy with its"
                        + " repartition and changelog topics).",
                perCore,
                wall,
                Stats.median(withBroker(runs.get("Flink word count (this repo)")))
                        / Stats.median(withBroker(runs.get("Kafka Streams word count"))));
        section.bar(
                "Word count, lines per job CPU-second",
                "Flink (this repo)",
                Stats.median(flink),
                "lines/CPU-s");
        section.bar(
                "Word count, lines per job CPU-second",
                "Kafka Streams",
                Stats.median(streams),
                "lines/CPU-s");
        return section;
    }

    /** 2. The Kafka ceiling: Kafka's perf tools and a pass-through job on the same topic. */
    Section ceiling(int repeats) throws Exception {
        KafkaPerfTools tools = new KafkaPerfTools(env);
        List<Measurement> copies = new ArrayList<>();
        List<Double> consumer = new ArrayList<>();
        List<Double> producer = new ArrayList<>();
        List<Double> transactional = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            Measurement copy = runPassThrough("flink-pass-through");
            BenchEnvironment.progress("[2/Kafka ceiling] run %d/%d %s", r + 1, repeats, copy);
            copies.add(copy);
            double consumed = tools.consume(inputTopic, input.records());
            double produced = tools.produce(input.lines, payloads, false);
            double producedInTransactions = tools.produce(input.lines, payloads, true);
            BenchEnvironment.progress(
                    "[2/Kafka ceiling] run %d/%d consumer perf %,.0f/s, producer perf %,.0f/s,"
                            + " transactional %,.0f/s",
                    r + 1, repeats, consumed, produced, producedInTransactions);
            consumer.add(consumed);
            producer.add(produced);
            transactional.add(producedInTransactions);
        }
        double ceiling = Math.min(Stats.median(consumer), Stats.median(transactional));
        double copy = Stats.median(rates(copies, false));
        List<Double> steadySource = new ArrayList<>();
        List<Double> steadySink = new ArrayList<>();
        for (SteadyRateSampler.SteadyRates steady : passThroughSteady) {
            steadySource.add(steady.source());
            steadySink.add(steady.sink());
        }
        double steadyCopy =
                passThroughSteady.isEmpty()
                        ? Double.NaN
                        : Math.min(Stats.median(steadySource), Stats.median(steadySink));
        Section section = new Section("2-kafka-ceiling", "2. The Kafka ceiling on this machine");
        section.line(
                "Kafka's own perf tools (`kafka-consumer-perf-test`, `kafka-producer-perf-test`"
                        + " with the word-count lines as payloads, acks=all) against the same broker"
                        + " and the same input topic (%,d records, %d partitions), and a Flink job"
                        + " that copies the topic with the jobs' source and exactly-once sink and no"
                        + " processing. The tools report their own rate (excluding JVM start); the"
                        + " jobs' whole-run figures include their JVM and MiniCluster start. The"
                        + " pass-through's *steady state* is its rate over the middle half of the"
                        + " time records flowed, from the source's `numRecordsOut` and the sink"
                        + " writer's `numRecordsIn` (REST metrics summed over subtasks, sampled every"
                        + " 0.1 s, metrics at most 0.1 s old; the lower of the two counts). The copy was verified exact (count"
                        + " and checksum of every value).",
                input.records(), PARTITIONS);
        section.line("");
        section.line("| | records/s, median (± half spread) |");
        section.line("|---|---|");
        section.line("| Kafka consumer perf tool | %s |", Stats.medianWithSpread(consumer));
        section.line("| Kafka producer perf tool | %s |", Stats.medianWithSpread(producer));
        section.line(
                "| Kafka producer perf tool, transactional (1 s transactions) | %s |",
                Stats.medianWithSpread(transactional));
        section.line(
                "| Flink pass-through job, exactly-once, whole run | %s |",
                Stats.medianWithSpread(rates(copies, false)));
        if (!passThroughSteady.isEmpty()) {
            section.line(
                    "| Flink pass-through job, exactly-once, steady state: source / sink | %s / %s"
                            + " |",
                    Stats.medianWithSpread(steadySource), Stats.medianWithSpread(steadySink));
        }
        section.line("");
        section.line(
                "Ceiling for a consume-and-produce job = min(consumer, transactional producer) ="
                        + " **%,.0f records/s**. As fractions of it:",
                ceiling);
        section.line("");
        section.line("| job | records/s | fraction of the ceiling |");
        section.line("|---|---|---|");
        if (!Double.isNaN(steadyCopy)) {
            section.line(
                    "| Flink pass-through, steady state | %,.0f | **%.0f %%** |",
                    steadyCopy, steadyCopy / ceiling * 100);
            section.bar(
                    "Fraction of the Kafka ceiling (%)",
                    "Flink pass-through, steady state", steadyCopy / ceiling * 100, "%");
        }
        section.line(
                "| Flink pass-through, whole run | %,.0f | %.0f %% |", copy, copy / ceiling * 100);
        if (!Double.isNaN(flinkLinesPerSecond)) {
            section.line(
                    "| Flink word count (this repo) | %,.0f | %.0f %% |",
                    flinkLinesPerSecond, flinkLinesPerSecond / ceiling * 100);
            section.line(
                    "| Kafka Streams word count | %,.0f | %.0f %% |",
                    streamsLinesPerSecond, streamsLinesPerSecond / ceiling * 100);
            section.bar(
                    "Fraction of the Kafka ceiling (%)",
                    "Flink word count", flinkLinesPerSecond / ceiling * 100, "%");
            section.bar(
                    "Fraction of the Kafka ceiling (%)",
                    "Kafka Streams word count", streamsLinesPerSecond / ceiling * 100, "%");
        }
        return section;
    }

    /** 3a. Exactly-once against at-least-once at three checkpoint intervals. */
    Section exactlyOnceCost(int repeats) throws Exception {
        Section section =
                new Section("3a-exactly-once-cost", "3. The cost of exactly-once: throughput");
        section.line(
                "The word-count job on the same input, `--delivery-guarantee exactly-once` vs"
                        + " `at-least-once`, at three checkpoint intervals (EO and ALO runs"
                        + " alternate). Both outputs verified exact (no failures were injected, so"
                        + " at-least-once is exact here too).");
        section.line("");
        section.line(
                "| checkpoint interval | exactly-once lines/s | at-least-once lines/s | EO/ALO throughput | EO/ALO per CPU-s |");
        section.line("|---|---|---|---|---|");
        for (int seconds : new int[] {1, 5, 10}) {
            List<Measurement> eo = new ArrayList<>();
            List<Measurement> alo = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                for (int i = 0; i < 2; i++) {
                    boolean exactly = (r + i) % 2 == 0;
                    Measurement m =
                            runFlink(
                                    (exactly ? "eo-" : "alo-") + seconds + "s",
                                    Duration.ofSeconds(seconds),
                                    exactly ? "exactly-once" : "at-least-once");
                    BenchEnvironment.progress(
                            "[3/exactly-once cost] %d s run %d/%d %s", seconds, r + 1, repeats, m);
                    (exactly ? eo : alo).add(m);
                }
            }
            double ratio = Stats.median(rates(eo, false)) / Stats.median(rates(alo, false));
            double cpuRatio = Stats.median(rates(eo, true)) / Stats.median(rates(alo, true));
            section.line(
                    "| %d s | %s | %s | %.2f | %.2f |",
                    seconds,
                    Stats.medianWithSpread(rates(eo, false)),
                    Stats.medianWithSpread(rates(alo, false)),
                    ratio,
                    cpuRatio);
            section.bar(
                    "Exactly-once / at-least-once throughput",
                    seconds + " s checkpoints",
                    ratio,
                    "ratio");
        }
        return section;
    }

    /** Records per CPU-second of the job's and the broker's processes together. */
    static List<Double> withBroker(List<Measurement> runs) {
        List<Double> rates = new ArrayList<>();
        for (Measurement m : runs) {
            rates.add(m.records() / (m.jobCpuSeconds() + m.brokerCpuSeconds()));
        }
        return rates;
    }

    static List<Double> rates(List<Measurement> runs, boolean perCpu) {
        List<Double> rates = new ArrayList<>();
        for (Measurement m : runs) {
            rates.add(perCpu ? m.recordsPerJobCpuSecond() : m.recordsPerSecond());
        }
        return rates;
    }

    static void throughputTable(Section section, Map<String, List<Measurement>> runs, String unit) {
        section.line(
                "| | %s/s, median (± half spread) | %s per job CPU-second | job CPU-s | broker CPU-s | runs |",
                unit, unit);
        section.line("|---|---|---|---|---|---|");
        for (Map.Entry<String, List<Measurement>> entry : runs.entrySet()) {
            List<Measurement> ms = entry.getValue();
            List<Double> cpu = new ArrayList<>();
            List<Double> broker = new ArrayList<>();
            ms.forEach(
                    m -> {
                        cpu.add(m.jobCpuSeconds());
                        broker.add(m.brokerCpuSeconds());
                    });
            section.line(
                    "| %s | %s | %s | %.1f | %.1f | %d |",
                    entry.getKey(),
                    Stats.medianWithSpread(rates(ms, false)),
                    Stats.medianWithSpread(rates(ms, true)),
                    Stats.median(cpu),
                    Stats.median(broker),
                    ms.size());
        }
    }
}
