package dev.flinkref.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/bench}: runs the chosen measurements, writes each one's section under
 * docs/benchmarks/, then assembles docs/benchmarks.md and docs/benchmarks.svg from every section
 * there.
 */
@Command(
        name = "scripts/bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the benchmarks; each suite rewrites its sections under docs/benchmarks/, then"
                    + " docs/benchmarks.md and docs/benchmarks.svg are reassembled from all"
                    + " sections there. Work files (broker data, job logs): .local/bench/",
            "Suites: wordcount (1. vs Kafka Streams, 2. the Kafka ceiling, 3. exactly-once vs"
                    + " at-least-once), latency (3. end-to-end latency per checkpoint interval),"
                    + " statemachine (4. JSON, binary, reference implementation, a"
                    + " StateMachineExample-style job), checkpoints (5. RocksDB incremental"
                    + " checkpoints with 1 M and 10 M live machines), recovery (6. a TaskManager"
                    + " killed on the local cluster), memory (7. the smallest TaskManager size),"
                    + " all (every suite, about 25 minutes on 2 cores), report (only reassemble)."
        },
        footer = "Every option after --smoke also reads its BENCH_* environment variable.")
public final class BenchMain implements Callable<Integer> {
    static final Set<String> SUITES =
            Set.of("wordcount", "latency", "statemachine", "checkpoints", "recovery", "memory");

    @Parameters(arity = "1..*", paramLabel = "SUITE", description = "Suites, all, or report.")
    List<String> requested;

    @Option(
            names = "--smoke",
            description =
                    "Tiny inputs, to check the harness in minutes; writes under .local/bench-smoke/.")
    boolean smoke;

    @Option(
            names = "--live-machines",
            split = ",",
            paramLabel = "N,N",
            description = "Sizes of the checkpoints suite (default 1000000,10000000).")
    int[] liveMachines;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write DIR/benchmarks.md and DIR/benchmarks/ instead of docs/.")
    Path out;

    @Option(
            names = "--job-jvm-opts",
            paramLabel = "OPTS",
            defaultValue = "${env:BENCH_JOB_JVM_OPTS}",
            description =
                    "Extra JVM options of every measured Flink job JVM; {dir} is the run's"
                            + " directory, e.g. -XX:StartFlightRecording=filename={dir}/job.jfr,settings=profile.")
    String jobJvmOptions;

    @Option(
            names = "--sm-variants",
            split = ",",
            paramLabel = "ROWS",
            defaultValue = "${env:BENCH_SM_VARIANTS}",
            description = "statemachine: only these rows (of json,binary,reference,example,base).")
    List<String> stateMachineVariants;

    @Option(
            names = "--sm-repeats",
            paramLabel = "N",
            defaultValue = "${env:BENCH_SM_REPEATS}",
            description = "statemachine: rounds instead of the scale's default (3).")
    Integer stateMachineRepeats;

    @Option(
            names = "--sm-base-jar",
            paramLabel = "JAR",
            defaultValue = "${env:BENCH_SM_BASE_JAR}",
            description =
                    "statemachine: also run this build of the job's shaded jar in each round (row"
                            + " base), for A/B.")
    Path stateMachineBaseJar;

    @Option(
            names = "--wc-sections",
            split = ",",
            paramLabel = "N,N",
            defaultValue = "${env:BENCH_WC_SECTIONS}",
            description = "wordcount: only these sections (of 1,2,3).")
    List<String> wordCountSections;

    @Option(
            names = "--wc-repeats",
            paramLabel = "N",
            defaultValue = "${env:BENCH_WC_REPEATS}",
            description = "wordcount: rounds instead of the scale's default (3).")
    Integer wordCountRepeats;

    @Option(
            names = "--wc-base-jar",
            paramLabel = "JAR",
            defaultValue = "${env:BENCH_WC_BASE_JAR}",
            description =
                    "wordcount: also run this build of the job's shaded jar in each round of 1"
                            + " (row Baseline build, not in the ratios), for A/B.")
    Path wordCountBaseJar;

    @Option(
            names = "--flink-conf",
            paramLabel = "LINES",
            defaultValue = "${env:BENCH_FLINK_CONF}",
            description = "Extra config.yaml lines of every measured job, separated by ';'.")
    String flinkConf;

    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<String> suites = new ArrayList<>();
        for (String suite : requested) {
            if (suite.equals("all")) {
                suites.addAll(
                        List.of(
                                "wordcount",
                                "latency",
                                "statemachine",
                                "checkpoints",
                                "recovery",
                                "memory"));
            } else if (!suite.equals("report")) {
                if (!SUITES.contains(suite)) {
                    throw new ParameterException(
                            spec.commandLine(),
                            "unknown suite '"
                                    + suite
                                    + "'; suites: all, "
                                    + String.join(", ", SUITES)
                                    + ", report");
                }
                suites.add(suite);
            }
        }
        positive(stateMachineRepeats, "--sm-repeats");
        positive(wordCountRepeats, "--wc-repeats");
        BenchKnobs.install(knobs());
        Scale scale = smoke ? Scale.SMOKE : Scale.FULL;
        Path repo = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
        Path target = out != null ? out.toAbsolutePath() : repo.resolve("docs");
        if (smoke && out == null) {
            target = repo.resolve(".local/bench-smoke");
        }
        Path sections = target.resolve("benchmarks");
        Path work = repo.resolve(".local/bench");
        Files.createDirectories(work);
        run(
                suites,
                scale,
                liveMachines == null ? scale.liveMachines : liveMachines,
                repo,
                work,
                sections);
        Report.write(target, sections, scale);
        return 0;
    }

    private void positive(Integer value, String option) {
        if (value != null && value <= 0) {
            throw new ParameterException(
                    spec.commandLine(), option + " must be positive, got " + value);
        }
    }

    /** The options beyond the suites; blank (an unset variable) means unset. */
    BenchKnobs knobs() {
        return new BenchKnobs(
                words(jobJvmOptions, "\\s+"),
                nonBlank(stateMachineVariants),
                Optional.ofNullable(stateMachineRepeats),
                Optional.ofNullable(stateMachineBaseJar).filter(p -> !p.toString().isBlank()),
                nonBlank(wordCountSections),
                Optional.ofNullable(wordCountRepeats),
                Optional.ofNullable(wordCountBaseJar).filter(p -> !p.toString().isBlank()),
                words(flinkConf, ";"));
    }

    private static List<String> words(String text, String separator) {
        return text == null
                ? List.of()
                : Arrays.stream(text.split(separator))
                        .map(String::trim)
                        .filter(w -> !w.isEmpty())
                        .toList();
    }

    private static List<String> nonBlank(List<String> values) {
        return values == null
                ? List.of()
                : values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    static void run(
            List<String> suites,
            Scale scale,
            int[] liveMachines,
            Path repo,
            Path work,
            Path sections)
            throws Exception {
        if (suites.isEmpty()) {
            return;
        }
        try (BenchEnvironment env = new BenchEnvironment(repo, work)) {
            BenchEnvironment.progress(
                    "broker up at %s (pid %d)", env.bootstrap(), env.broker.pid());
            if (suites.contains("wordcount")) {
                WordCountSuites wordCount = new WordCountSuites(env, scale.wordCountLines);
                BenchKnobs knobs = BenchKnobs.current();
                List<String> wanted =
                        knobs.wordCountSections().isEmpty()
                                ? List.of("1", "2", "3")
                                : knobs.wordCountSections();
                int repeats = knobs.wordCountRepeats().orElse(scale.repeats);
                if (wanted.contains("1")) {
                    wordCount.versusKafkaStreams(repeats).write(sections);
                }
                if (wanted.contains("2")) {
                    // The pass-through's flow lasts a few seconds: its steady rate is the
                    // noisiest figure here, so it gets two more rounds.
                    wordCount.ceiling(repeats + 2).write(sections);
                }
                if (wanted.contains("3")) {
                    wordCount.exactlyOnceCost(repeats).write(sections);
                }
            }
            if (suites.contains("latency")) {
                new LatencySuite(env, scale).run().write(sections);
            }
            if (suites.contains("statemachine")) {
                new StateMachineSuites(env, scale).versusExample().write(sections);
            }
            if (suites.contains("checkpoints")) {
                new StateMachineSuites(env, scale).checkpoints(liveMachines).write(sections);
            }
        }
        if (suites.contains("recovery")) {
            new ClusterSuites(repo, work, scale).recovery().write(sections);
        }
        if (suites.contains("memory")) {
            new ClusterSuites(repo, work, scale).memory().write(sections);
        }
    }

    /** Input sizes: SMOKE proves the harness in seconds; FULL gives the documented figures. */
    enum Scale {
        SMOKE(20_000, 2, 20_000, new int[] {1_000, 2_000}, 20),
        FULL(2_000_000, 3, 3_000_000, new int[] {1_000_000, 10_000_000}, 60);

        final long wordCountLines;
        final int repeats;
        final long stateMachineEvents;
        final int[] liveMachines;
        final int steadySeconds;

        Scale(
                long wordCountLines,
                int repeats,
                long stateMachineEvents,
                int[] liveMachines,
                int steadySeconds) {
            this.wordCountLines = wordCountLines;
            this.repeats = repeats;
            this.stateMachineEvents = stateMachineEvents;
            this.liveMachines = liveMachines;
            this.steadySeconds = steadySeconds;
        }
    }
}
