package dev.flinkref.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SavepointFailedExceptionTest {
    @Test
    void aStackTraceBecomesItsFirstLineAndRootCause() {
        String trace =
                String.join(
                        "\n",
                        "java.util.concurrent.CompletionException: outer",
                        "\tat a.B.c(B.java:1)",
                        "Caused by: org.apache.flink.util.FlinkException: middle",
                        "\tat d.E.f(E.java:2)",
                        "\tSuppressed: java.io.IOException: beside",
                        "\t\tCaused by: java.io.IOException: not the root",
                        "Caused by: java.net.ConnectException: Connection refused",
                        "\t... 12 more");
        assertThat(SavepointFailedException.oneLine(trace))
                .isEqualTo(
                        "java.util.concurrent.CompletionException: outer; root cause:"
                                + " java.net.ConnectException: Connection refused");
    }

    @Test
    void aFirstLineThatNamesTheRootCauseStandsAlone() {
        String trace =
                "java.util.concurrent.CompletionException: o.a.f.CheckpointException: suspending.\n"
                        + "\tat x.Y.z(Y.java:3)\n"
                        + "Caused by: o.a.f.CheckpointException: suspending.\n"
                        + "\tat x.Y.w(Y.java:4)\n";
        assertThat(SavepointFailedException.oneLine(trace))
                .isEqualTo(
                        "java.util.concurrent.CompletionException: o.a.f.CheckpointException:"
                                + " suspending.");
        assertThat(new SavepointFailedException("job 42", trace).getMessage())
                .isEqualTo(
                        "job 42: java.util.concurrent.CompletionException:"
                                + " o.a.f.CheckpointException: suspending.");
    }
}
