package dev.flinkref.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a benchmark run may be told beyond its suites, for profiling and quicker iterations: the
 * options of {@code scripts/bench} (each also read from its {@code BENCH_*} variable). Set once by
 * {@link BenchMain} before any suite runs; the defaults change nothing.
 *
 * @param jobJvmOptions extra JVM options of every measured Flink job JVM; {@code {dir}} is the
 *     run's own directory
 * @param stateMachineVariants the state-machine rows to run (json, binary, reference, example,
 *     base); empty: all
 * @param stateMachineRepeats rounds of the state-machine suite instead of the scale's
 * @param stateMachineBaseJar another build of the state-machine job, run in the same rounds
 * @param wordCountSections the word-count sections to run (1, 2, 3); empty: all
 * @param wordCountRepeats rounds of the word-count suite instead of the scale's
 * @param wordCountBaseJar another build of the word-count job, run in the rounds of section 1
 * @param flinkConf extra config.yaml lines of every measured job
 */
record BenchKnobs(
        List<String> jobJvmOptions,
        List<String> stateMachineVariants,
        Optional<Integer> stateMachineRepeats,
        Optional<Path> stateMachineBaseJar,
        List<String> wordCountSections,
        Optional<Integer> wordCountRepeats,
        Optional<Path> wordCountBaseJar,
        List<String> flinkConf) {
    static final BenchKnobs NONE =
            new BenchKnobs(
                    List.of(),
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of());

    private static volatile BenchKnobs current = NONE;

    static BenchKnobs current() {
        return current;
    }

    static void install(BenchKnobs knobs) {
        current = knobs;
    }

    /** The job JVM options with {@code {dir}} replaced by {@code runDir}. */
    List<String> jobJvmOptions(Path runDir) {
        List<String> options = new ArrayList<>();
        for (String option : jobJvmOptions) {
            options.add(option.replace("{dir}", runDir.toString()));
        }
        return options;
    }
}
