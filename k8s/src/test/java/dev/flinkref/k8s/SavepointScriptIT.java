package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * scripts/savepoint reports a failed savepoint in one line and exits 1. The operator copies Flink's
 * failure into the FlinkStateSnapshot's {@code .status.error}, a whole Java stack trace; a stand-in
 * {@code kubectl} on PATH answers with real ones: Flink 2.2's {@code failure-cause.stack-trace} as
 * its REST API gave it when local-cluster's SavepointFaultIT killed a TaskManager during a
 * savepoint (which of the two depends on when the JobManager notices the loss).
 */
class SavepointScriptIT {
    /** What kubectl create names the FlinkStateSnapshot (any job: the stand-in ignores it). */
    private static final String SNAPSHOT =
            "flinkstatesnapshot.flink.apache.org/job-savepoint-x7k2p";

    static Stream<Arguments> failures() {
        return Stream.of(
                // The job failed over first and aborted the pending savepoint.
                Arguments.of(
                        "coordinator-suspending.txt",
                        "java.util.concurrent.CompletionException:"
                                + " org.apache.flink.runtime.checkpoint.CheckpointException:"
                                + " Checkpoint Coordinator is suspending."),
                // The trigger RPC to the killed TaskManager failed first.
                Arguments.of(
                        "trigger-recipient-unreachable.txt",
                        "java.util.concurrent.CompletionException:"
                                + " org.apache.flink.runtime.checkpoint.CheckpointException: Trigger"
                                + " checkpoint failure.; root cause:"
                                + " org.apache.flink.runtime.rpc.exceptions.RecipientUnreachableException:"
                                + " Could not send message"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailedSnapshotIsReportedInOneLine(String failure, String oneLine, @TempDir Path bin)
            throws Exception {
        Path error = bin.resolve("status-error.txt");
        try (var in = SavepointScriptIT.class.getResourceAsStream("/flink-failures/" + failure)) {
            Files.write(error, in.readAllBytes());
        }
        assertThat(Files.readAllLines(error)).as("a multi-line stack trace").hasSizeGreaterThan(10);
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(
                kubectl,
                String.join(
                        "\n",
                        "#!/usr/bin/env bash",
                        "# An API server whose FlinkStateSnapshot has failed, as far as"
                                + " scripts/savepoint asks.",
                        "case \"$*\" in",
                        // Reads the manifest as kubectl create -f - does; a writer to a pipe
                        // nobody reads would die of SIGPIPE (exit 141 under pipefail).
                        "  *create*) cat >/dev/null; echo " + SNAPSHOT + " ;;",
                        "  *status.state*) printf FAILED ;;",
                        "  *status.error*) cat \"" + error + "\" ;;",
                        "  *) echo \"unexpected: kubectl $*\" >&2; exit 1 ;;",
                        "esac",
                        ""));
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
        String job = Job.names().get(0);

        ProcessBuilder script =
                new ProcessBuilder(RepoPaths.root().resolve("scripts/savepoint").toString(), job)
                        .directory(RepoPaths.root().toFile())
                        .redirectOutput(bin.resolve("out").toFile())
                        .redirectError(bin.resolve("err").toFile());
        Map<String, String> env = script.environment();
        env.put("PATH", bin + ":" + env.get("PATH"));
        Process process = script.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<String> err = Files.readAllLines(bin.resolve("err"));
        assertThat(process.exitValue()).as("exit code; stderr " + err).isEqualTo(1);
        assertThat(Files.readString(bin.resolve("out"))).isEqualTo("Requested " + SNAPSHOT + "\n");
        assertThat(err).hasSize(1);
        assertThat(err.get(0)).startsWith("Savepoint of " + job + " FAILED: " + oneLine);
    }
}
