package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fork story, as a team does it: in a copy of this repository, {@code scripts/new-job orders},
 * then exactly the commands of the README's "Start your own repository from this one" (the two
 * example jobs and what exists only for them go), then {@code ./mvnw verify} of the new job and the
 * k8s checks in that copy, offline from the dependencies this build already fetched.
 */
class ForkIT {
    private static final String SECTION = "## Start your own repository from this one";
    private static final Pattern BASH_BLOCK = Pattern.compile("(?s)```bash\\n(.*?)```");

    @TempDir Path fork;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void aScaffoldedJobIsAllThatIsLeftAndTheBuildIsGreen() throws Exception {
        assumeFalse(Boolean.getBoolean("fork.nested"), "this is the fork's own build");
        Path root = RepoPaths.root();
        copyCheckout(root, fork);

        // "orders", as the README has it, unless this checkout already has a job of that name.
        String job =
                Stream.iterate(1, i -> i + 1)
                        .map(i -> i == 1 ? "orders" : "orders" + i)
                        .filter(name -> !Job.names().contains(name))
                        .findFirst()
                        .orElseThrow();
        String pkg = "dev.flinkref." + job + ".";
        String prefix = Character.toUpperCase(job.charAt(0)) + job.substring(1);
        run(fork, "scripts/new-job", job);
        run(fork, "bash", "-euo", "pipefail", "-c", readmeForkCommands(root));

        // The new job is left (with any job of this checkout that is not an example).
        List<String> jobs = Job.namesIn(fork);
        assertThat(jobs).contains(job);
        assertThat(fork.resolve("bench")).doesNotExist();
        String build =
                run(
                        fork,
                        "./mvnw",
                        "-B",
                        "-o",
                        "verify",
                        "-pl",
                        String.join(",", jobs.stream().map(name -> "jobs/" + name).toList())
                                + ",k8s",
                        "-am",
                        "-Dfork.nested=true");
        for (String test :
                List.of(
                        pkg + "KeyDecoderTest",
                        pkg + "CountPerKeyTest",
                        pkg + prefix + "TopologyTest",
                        pkg + prefix + "JobPlanTest",
                        pkg + prefix + "JobIT",
                        "dev.flinkref.k8s.JobDiscoveryIT",
                        "dev.flinkref.k8s.CrossArtifactIT",
                        "dev.flinkref.k8s.OverlaysIT",
                        "dev.flinkref.k8s.SessionModeIT")) {
            assertThat(build).as("the fork's build ran " + test).contains("in " + test);
        }
        assertThat(build)
                .contains("BUILD SUCCESS")
                .doesNotContain("Flink jobs: word count", "Flink jobs: state machine");
    }

    /** The README's commands for a fork: the bash block right under its heading. */
    private static String readmeForkCommands(Path root) throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        int section = readme.indexOf(SECTION);
        assertThat(section).as("README.md has \"" + SECTION + "\"").isNotNegative();
        Matcher block = BASH_BLOCK.matcher(readme.substring(section));
        assertThat(block.find()).as("a ```bash block under " + SECTION).isTrue();
        return block.group(1);
    }

    /** What a clone holds: the files git tracks, and new ones it does not ignore. */
    private static void copyCheckout(Path root, Path target) throws Exception {
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(root.resolve(".git")) || Files.isRegularFile(root.resolve(".git"))) {
            Commands.Result listed =
                    Commands.run(
                            root, List.of("git", "ls-files", "-co", "--exclude-standard", "-z"));
            assertThat(listed.exitCode()).as(listed.output()).isZero();
            for (String file : listed.output().split("\0")) {
                if (!file.isBlank()) {
                    files.add(file);
                }
            }
        } else {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile)
                        .map(path -> root.relativize(path).toString())
                        .filter(path -> !path.matches("(.*/)?(target|\\.local)/.*"))
                        .forEach(files::add);
            }
        }
        for (String file : files) {
            Path source = root.resolve(file);
            if (Files.isRegularFile(source)) {
                Path copy = target.resolve(file);
                Files.createDirectories(copy.getParent());
                Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static String run(Path directory, String... command) throws Exception {
        Commands.Result result = Commands.run(directory, List.of(command));
        assertThat(result.exitCode())
                .as(String.join(" ", command) + " in the fork:\n" + tail(result.output()))
                .isZero();
        return result.output();
    }

    private static String tail(String output) {
        return output.length() > 20_000 ? output.substring(output.length() - 20_000) : output;
    }
}
