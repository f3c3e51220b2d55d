package dev.flinkref.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code scripts/bench}: runs the chosen measurements, writes each one's section under
 * docs/benchmarks/, then assembles docs/benchmarks.md and docs/benchmarks.svg from every section
 * there.
 */
public final class BenchMain {
    static final Set<String> SUITES =
            Set.of("wordcount", "latency", "statemachine", "checkpoints", "recovery", "memory");

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        List<String> suites = new ArrayList<>();
        Scale scale = Scale.FULL;
        int[] liveMachines = null;
        Path repo = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
        Path out = repo.resolve("docs");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> scale = Scale.SMOKE;
                case "--live-machines" ->
                        liveMachines =
                                java.util.Arrays.stream(args[++i].split(","))
                                        .mapToInt(Integer::parseInt)
                                        .toArray();
                case "--out" -> out = Path.of(args[++i]).toAbsolutePath();
                case "all" ->
                        suites.addAll(
                                List.of(
                                        "wordcount",
                                        "latency",
                                        "statemachine",
                                        "checkpoints",
                                        "recovery",
                                        "memory"));
                case "report" -> {}
                default -> {
                    if (!SUITES.contains(args[i])) {
                        System.err.println(
                                "bench: unknown argument '"
                                        + args[i]
                                        + "'; suites: all, "
                                        + String.join(", ", SUITES)
                                        + ", report; options: --smoke, --out DIR, --live-machines N,N");
                        System.exit(2);
                    }
                    suites.add(args[i]);
                }
            }
        }
        if (scale == Scale.SMOKE && !List.of(args).contains("--out")) {
            out = repo.resolve(".local/bench-smoke");
        }
        Path sections = out.resolve("benchmarks");
        Path work = repo.resolve(".local/bench");
        Files.createDirectories(work);
        run(
                suites,
                scale,
                liveMachines == null ? scale.liveMachines : liveMachines,
                repo,
                work,
                sections);
        Report.write(out, sections, scale);
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
                // $BENCH_WC_SECTIONS (e.g. "1") runs only those of 1, 2, 3 to iterate faster;
                // $BENCH_WC_REPEATS overrides the scale's rounds.
                String only = System.getenv("BENCH_WC_SECTIONS");
                List<String> wanted =
                        only == null || only.isBlank()
                                ? List.of("1", "2", "3")
                                : List.of(only.trim().split(","));
                String repeatsEnv = System.getenv("BENCH_WC_REPEATS");
                int repeats =
                        repeatsEnv == null || repeatsEnv.isBlank()
                                ? scale.repeats
                                : Integer.parseInt(repeatsEnv.trim());
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
