package dev.flinkref.localcluster;

/**
 * A savepoint that Flink reports as failed. Its message is one line (the top exception and its root
 * cause), fit for a command's error output; {@link #failureCause()} keeps Flink's whole stack
 * trace.
 */
public final class SavepointFailedException extends IllegalStateException {
    private final String failureCause;

    SavepointFailedException(String what, String failureCause) {
        super(what + ": " + oneLine(failureCause));
        this.failureCause = failureCause;
    }

    /** Flink's {@code failure-cause.stack-trace} as the REST API returned it. */
    public String failureCause() {
        return failureCause;
    }

    /**
     * The first line of a stack trace and, when it differs, its root cause (the last {@code Caused
     * by:}): what failed and why, without the frames. scripts/savepoint does the same.
     */
    public static String oneLine(String stackTrace) {
        String[] lines = stackTrace.strip().split("\\R");
        String first = lines[0].strip();
        String root = "";
        for (String line : lines) {
            if (line.startsWith("Caused by: ")) {
                root = line.substring("Caused by: ".length()).strip();
            }
        }
        return first.contains(root) ? first : first + "; root cause: " + root;
    }
}
