package dev.flinkref.testkit.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A job of this repository, found rather than listed: a folder {@code jobs/<name>/} whose {@code
 * pom.xml} declares {@code <job.main.class>} (as {@code scripts/lib/jobs.sh} finds them). Its name
 * is its module's, its image's ({@code flink-<name>}), its FlinkDeployment's and the default of its
 * topics ({@code <name>-input}, {@code -output}, {@code -dlq}), consumer group and transactional
 * ids.
 */
public record JobModule(String name, Path dir, String mainClass) {
    private static final Pattern MAIN_CLASS =
            Pattern.compile("<job\\.main\\.class>\\s*([\\w.$]+)\\s*</job\\.main\\.class>");

    /** Every job under {@code repoRoot/jobs}, sorted by name. */
    public static List<JobModule> discover(Path repoRoot) {
        Path jobs = repoRoot.resolve("jobs");
        if (!Files.isDirectory(jobs)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(jobs)) {
            return dirs.map(JobModule::of)
                    .flatMap(Optional::stream)
                    .sorted((a, b) -> a.name.compareTo(b.name))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job called {@code name}, or an exception that lists the jobs there are. */
    public static JobModule named(Path repoRoot, String name) {
        List<JobModule> jobs = discover(repoRoot);
        return jobs.stream()
                .filter(job -> job.name.equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown job '"
                                                + name
                                                + "' (jobs here: "
                                                + String.join(
                                                        ", ",
                                                        jobs.stream().map(JobModule::name).toList())
                                                + ")"));
    }

    private static Optional<JobModule> of(Path dir) {
        Path pom = dir.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return Optional.empty();
        }
        try {
            Matcher main = MAIN_CLASS.matcher(Files.readString(pom));
            return main.find()
                    ? Optional.of(new JobModule(dir.getFileName().toString(), dir, main.group(1)))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shaded jar {@code ./mvnw package} builds: what the image and the local cluster run. */
    public Path shadedJar() {
        return dir.resolve("target").resolve(name + ".jar");
    }

    /** The topics the job reads and writes with its default options. */
    public List<String> defaultTopics() {
        return List.of(name + "-input", name + "-output", name + "-dlq");
    }

    @Override
    public String toString() {
        return name;
    }
}
