package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operations scripts speak the operator's 1.15 API: every field they read (jsonpath) exists in
 * its CRDs, and the FlinkStateSnapshot that scripts/savepoint creates is valid. A field renamed
 * between operator versions would otherwise only show in a live cluster, as an empty value.
 */
class ScriptsMatchCrdsIT {
    /** {@code .spec.x.y} or {@code .status.x.y} in a jsonpath or custom-columns expression. */
    private static final Pattern FIELD =
            Pattern.compile(
                    "\\.((?:spec|status)(?:\\.[A-Za-z][A-Za-z0-9]*(?:\\\\\\.[A-Za-z0-9]+)*)+)");

    private static final List<String> KINDS =
            List.of("FlinkDeployment", "FlinkSessionJob", "FlinkStateSnapshot");

    @Test
    void everyFieldTheScriptsReadIsInTheCrds() throws IOException {
        CrdSchemas schemas = Manifests.crds();
        List<String> unknown = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Path script : scriptFiles()) {
            Matcher field = FIELD.matcher(Files.readString(script));
            while (field.find()) {
                // taskmanager\.numberOfTaskSlots is one key: split on unescaped dots only.
                List<String> path =
                        Arrays.stream(field.group(1).split("(?<!\\\\)\\."))
                                .map(part -> part.replace("\\.", "."))
                                .toList();
                seen.add(field.group(1));
                if (KINDS.stream().noneMatch(kind -> schemas.declares(kind, path))) {
                    unknown.add(
                            RepoPaths.root().relativize(script) + ": ." + String.join(".", path));
                }
            }
        }
        assertThat(seen).as("fields read by scripts/").isNotEmpty();
        assertThat(unknown).as("fields not in the operator 1.15 CRDs " + KINDS).isEmpty();
    }

    static List<String> jobs() {
        return Job.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void theSavepointScriptCreatesAValidSnapshot(String job) throws Exception {
        Commands.Result result =
                Commands.run(
                        RepoPaths.root(),
                        List.of(
                                RepoPaths.root().resolve("scripts/savepoint").toString(),
                                job,
                                "--print"));
        assertThat(result.exitCode()).as("scripts/savepoint --print:\n" + result.output()).isZero();

        var documents = Yaml.documents(result.output());
        assertThat(documents)
                .extracting(d -> d.path("kind").asText())
                .containsExactly("FlinkStateSnapshot");
        assertThat(documents.get(0).at("/spec/jobReference/name").asText()).isEqualTo(job);
        assertThat(Manifests.checker().check("scripts/savepoint " + job, documents)).isEmpty();
    }

    private static List<Path> scriptFiles() throws IOException {
        try (Stream<Path> files = Files.walk(RepoPaths.root().resolve("scripts"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
