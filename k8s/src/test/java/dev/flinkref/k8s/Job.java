package dev.flinkref.k8s;

import dev.flinkref.testkit.jobs.JobModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A job this repository packages, as found under {@code jobs/} ({@link JobModule}): its module, its
 * shaded jar and entry class. Every check runs over {@link #all()}; nothing here names a job.
 */
record Job(String name, String entryClass) {
    static List<Job> all() {
        List<Job> jobs =
                JobModule.discover(RepoPaths.root()).stream()
                        .map(module -> new Job(module.name(), module.mainClass()))
                        .toList();
        if (jobs.isEmpty()) {
            throw new AssertionError(
                    "no job under jobs/ (a folder whose pom.xml declares"
                            + " <job.main.class>): scripts/new-job makes one");
        }
        return jobs;
    }

    /** The jobs of another checkout (e.g. a fork made by a test). */
    static List<String> namesIn(Path root) {
        return JobModule.discover(root).stream().map(JobModule::name).toList();
    }

    static List<String> names() {
        return all().stream().map(Job::name).toList();
    }

    static Job named(String name) {
        return all().stream()
                .filter(job -> job.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("'" + name + "' is not a job of " + names()));
    }

    Path module() {
        return RepoPaths.root().resolve("jobs").resolve(name);
    }

    /** The shaded jar, which the reactor builds before this module (jobs/ comes first). */
    Path shadedJar() {
        Path jar = RepoPaths.shadedJar(name);
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(
                    jar + " missing: build it first (./mvnw verify builds jobs/ before k8s/)");
        }
        return jar;
    }

    @Override
    public String toString() {
        return name;
    }
}
