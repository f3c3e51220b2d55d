package dev.flinkref.common.options;

import java.util.function.Function;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The command-line contract of every job's {@code main}. */
public final class JobCli {
    /** Exit code for bad arguments, as in {@code sysexits} usage errors and most CLIs. */
    public static final int EXIT_USAGE = 2;

    private JobCli() {}

    /**
     * Parses the arguments. Run as a plain JVM ({@code java -jar}, a local run), {@code --help}
     * prints the usage and exits 0, and bad arguments print one line to stderr and exit 2. Inside a
     * Flink cluster (REST submission, application mode, a test MiniCluster) the exception
     * propagates instead: {@code System.exit} there would take the JobManager down with it, while
     * the exception fails the submission with the same message.
     */
    public static <T> T parseOrExit(Function<String[], T> parser, String[] args) {
        try {
            return parser.apply(args);
        } catch (HelpRequested help) {
            if (!runsAsPlainJvm()) {
                throw help;
            }
            System.out.println(help.usage());
            System.exit(0);
        } catch (UsageException e) {
            if (!runsAsPlainJvm()) {
                throw e;
            }
            System.err.println(e.getMessage());
            System.exit(EXIT_USAGE);
        }
        throw new AssertionError("unreachable");
    }

    private static boolean runsAsPlainJvm() {
        return StreamExecutionEnvironment.getExecutionEnvironment()
                instanceof LocalStreamEnvironment;
    }
}
