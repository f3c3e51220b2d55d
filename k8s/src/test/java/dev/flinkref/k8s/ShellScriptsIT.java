package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The operations scripts pass shellcheck and answer --help. */
class ShellScriptsIT {
    @Test
    void scriptsPassShellcheck() throws Exception {
        assumeTrue(
                Commands.available("shellcheck"),
                "shellcheck not installed: scripts not checked here (CI installs it: apt-get install"
                        + " shellcheck)");
        // -x follows the scripts' `source` of scripts/lib/*.sh, which are checked as well.
        List<String> command = new ArrayList<>(List.of("shellcheck", "--severity=style", "-x"));
        scripts().forEach(script -> command.add(script.toString()));
        try (Stream<Path> lib = Files.list(RepoPaths.root().resolve("scripts/lib"))) {
            lib.sorted().forEach(file -> command.add(file.toString()));
        }
        command.add(RepoPaths.root().resolve(".ci/run").toString());
        // From scripts/, where the `# shellcheck source=lib/k8s.sh` directives resolve.
        Commands.Result result = Commands.run(RepoPaths.root().resolve("scripts"), command);
        assertThat(result.exitCode()).as("shellcheck output:\n" + result.output()).isZero();
    }

    @Test
    void everyScriptAnswersHelp() throws Exception {
        for (Path script : scripts()) {
            Commands.Result result =
                    Commands.run(RepoPaths.root(), List.of(script.toString(), "--help"));
            assertThat(result.exitCode()).as(script + " --help\n" + result.output()).isZero();
            assertThat(result.output()).as(script + " --help").contains("Usage:");
        }
    }

    @Test
    void scriptsAreStrict() throws Exception {
        for (Path script : scripts()) {
            assertThat(Files.readString(script))
                    .as(script.toString())
                    .startsWith("#!/usr/bin/env bash")
                    .contains("set -euo pipefail");
        }
    }

    private static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.list(RepoPaths.root().resolve("scripts"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
