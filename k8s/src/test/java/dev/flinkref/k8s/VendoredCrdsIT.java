package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator CRDs inside the repository are the operator's published files, unedited, and every
 * place that names the operator's version names the vendored one.
 */
class VendoredCrdsIT {
    private static final List<String> KINDS =
            List.of(
                    "FlinkBlueGreenDeployment",
                    "FlinkDeployment",
                    "FlinkSessionJob",
                    "FlinkStateSnapshot");

    /** "operator 1.15.0", "Operator 1.15", "operator-1.15-config-keys", "docs-release-1.15". */
    private static final Pattern VERSION_MENTION =
            Pattern.compile("(?i)(?:operator[ -]|operator-docs-release-)(\\d+\\.\\d+(?:\\.\\d+)?)");

    @Test
    void everyCrdFileMatchesItsPublishedChecksum() throws IOException {
        Path dir = RepoPaths.vendoredCrdDir();
        Map<String, String> expected = checksums(dir.resolve("SHA256SUMS"));
        assertThat(crdFiles(dir)).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertThat(sha256(dir.resolve(file.getKey())))
                    .as("sha256 of %s (the operator's published file, never edited by hand)", file)
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void readmeNamesTheVersionAndEveryChecksum() throws IOException {
        Path dir = RepoPaths.vendoredCrdDir();
        String readme = Files.readString(dir.resolve("README.md"));
        assertThat(readme).containsIgnoringCase("operator " + RepoPaths.OPERATOR_VERSION);
        checksums(dir.resolve("SHA256SUMS"))
                .forEach(
                        (file, sum) ->
                                assertThat(readme).as("README lists %s", file).contains(file, sum));
    }

    @Test
    void theFourCustomResourceKindsAreThere() {
        assertThat(CrdSchemas.load(RepoPaths.vendoredCrdDir()).kinds()).containsAll(KINDS);
    }

    @Test
    void onlyOneOperatorVersionIsVendored() throws IOException {
        Path vendored = RepoPaths.vendoredCrdDir();
        try (Stream<Path> dirs = Files.list(vendored.getParent())) {
            assertThat(dirs.filter(Files::isDirectory)).containsExactly(vendored);
        }
    }

    @Test
    void installScriptAndDocsNameTheVendoredVersion() throws IOException {
        Path root = RepoPaths.root();
        String script = Files.readString(root.resolve("scripts/install-operator"));
        Matcher pinned = Pattern.compile("(?m)^OPERATOR_VERSION=(\\S+)$").matcher(script);
        assertThat(pinned.find()).as("scripts/install-operator pins OPERATOR_VERSION").isTrue();
        assertThat(pinned.group(1)).isEqualTo(RepoPaths.OPERATOR_VERSION);

        for (String file : List.of("README.md", "docs/deployment.md", "scripts/install-operator")) {
            Matcher mention = VERSION_MENTION.matcher(Files.readString(root.resolve(file)));
            int mentions = 0;
            while (mention.find()) {
                mentions++;
                assertThat(RepoPaths.OPERATOR_VERSION + ".")
                        .as("%s names operator %s", file, mention.group(1))
                        .startsWith(mention.group(1) + ".");
            }
            assertThat(mentions).as("%s names the operator's version", file).isPositive();
        }
    }

    private static List<String> crdFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".yml") || name.endsWith(".yaml"))
                    .toList();
        }
    }

    /** {@code sha256sum} output: "<hex> <file>" a line. */
    private static Map<String, String> checksums(Path sums) throws IOException {
        Map<String, String> byFile = new TreeMap<>();
        for (String line : Files.readAllLines(sums)) {
            if (!line.isBlank()) {
                String[] parts = line.trim().split("\\s+\\*?", 2);
                byFile.put(parts[1], parts[0]);
            }
        }
        return byFile;
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
