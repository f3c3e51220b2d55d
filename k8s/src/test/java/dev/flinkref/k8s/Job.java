package dev.flinkref.k8s;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A job this repository packages: its module {@code jobs/<name>}, its shaded jar and entry class.
 * The checks run over {@link #ALL}; a job whose module is not in this checkout (yet) is skipped
 * with a message rather than failing the build.
 */
record Job(String name, String entryClass) {
    static final List<Job> ALL =
            List.of(
                    new Job("wordcount", "dev.flinkref.wordcount.WordCountJob"),
                    new Job("statemachine", "dev.flinkref.statemachine.StateMachineJob"));

    static List<String> names() {
        return ALL.stream().map(Job::name).toList();
    }

    static Job named(String name) {
        return ALL.stream()
                .filter(job -> job.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("'" + name + "' is not a job of " + names()));
    }

    Path module() {
        return RepoPaths.root().resolve("jobs").resolve(name);
    }

    /** The shaded jar; skips the calling test if the job's module is absent. */
    Path shadedJar() {
        assumeTrue(
                Files.isDirectory(module()),
                "jobs/" + name + " is not in this checkout: its checks are skipped");
        Path jar = RepoPaths.shadedJar(name);
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(
                    jar + " missing: build it first (./mvnw -pl k8s -am verify packages it)");
        }
        return jar;
    }

    @Override
    public String toString() {
        return name;
    }
}
