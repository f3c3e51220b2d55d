package dev.flinkref.testkit.broker;

import java.io.IOException;
import kafka.Kafka;
import kafka.tools.StorageTool;

/**
 * Runs a single-node KRaft broker (broker and controller in one process): formats the storage, then
 * starts Kafka. Exits when standard input reaches end of file, so a broker whose parent died, even
 * by {@code kill -9}, goes away with it: the parent holds the other end of the pipe.
 *
 * <p>Arguments: {@code <server.properties> <cluster-id>}.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain <server.properties> <cluster-id>");
            System.exit(2);
        }
        String properties = args[0];
        String clusterId = args[1];
        int formatted =
                StorageTool.execute(
                        new String[] {
                            "format", "-t", clusterId, "-c", properties, "--ignore-formatted"
                        },
                        System.out);
        if (formatted != 0) {
            System.exit(formatted);
        }
        Thread parentWatch = new Thread(KafkaBrokerMain::exitOnStdinEof, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();
        // Kafka's own shutdown hook stops the broker cleanly on System.exit and SIGTERM.
        Kafka.main(new String[] {properties});
    }

    private static void exitOnStdinEof() {
        try {
            while (System.in.read() != -1) {
                // The parent never writes; it only keeps the pipe open.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of file.
        }
        System.exit(0);
    }
}
