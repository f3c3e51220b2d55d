package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Users clone this repository alone: no tracked file may lean on a folder beside the clone or on a
 * path of one machine. (The patterns are spelt so that this file does not match them itself.)
 */
class SelfContainedRepositoryIT {
    private static final Pattern OUTSIDE =
            Pattern.compile(
                    // a sibling folder of the clone, the shared folder beside it
                    "\\.\\.[/\\\\]shared\\b"
                            // a developer's or CI machine's home or work folder
                            + "|(?<![\\w.$}-])/(?:work|root|home|Users|old_root)/"
                            + "|\\b[A-Z]:\\\\Users\\\\");

    @Test
    void noTrackedFileRefersOutsideTheRepository() throws IOException, InterruptedException {
        Path root = RepoPaths.root();
        List<String> hits = new ArrayList<>();
        for (Path file : trackedFiles(root)) {
            byte[] bytes = Files.readAllBytes(root.resolve(file));
            if (isBinary(bytes)) {
                continue;
            }
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher matcher = OUTSIDE.matcher(lines[i]);
                if (matcher.find()) {
                    hits.add(file + ":" + (i + 1) + ": " + lines[i].strip());
                }
            }
        }
        assertThat(hits)
                .as("tracked files that refer outside the repository (vendor what they need)")
                .isEmpty();
    }

    /** What git tracks; outside a git checkout (a source archive) every file but build output. */
    private static List<Path> trackedFiles(Path root) throws IOException, InterruptedException {
        if (Files.exists(root.resolve(".git")) && Commands.available("git")) {
            Commands.Result listed = Commands.run(root, List.of("git", "ls-files", "-z"));
            assertThat(listed.exitCode()).as(listed.output()).isZero();
            return Arrays.stream(listed.output().split("\0"))
                    .filter(name -> !name.isEmpty())
                    .map(Path::of)
                    .filter(file -> Files.isRegularFile(root.resolve(file)))
                    .toList();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(root::relativize)
                    .filter(SelfContainedRepositoryIT::isSource)
                    .toList();
        }
    }

    private static boolean isSource(Path file) {
        for (Path part : file) {
            if (part.toString().equals(".git") || part.toString().equals("target")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
