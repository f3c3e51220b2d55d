package dev.flinkref.testkit.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A local broker for scripts: {@code LocalKafkaMain --data-dir DIR [--port N] [--ready-file F]}.
 * Prints {@code bootstrap.servers=...} when ready (and writes it to the ready file), then runs
 * until terminated, stopping the broker on the way out.
 */
public final class LocalKafkaMain {
    private LocalKafkaMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dataDir = null;
        Path readyFile = null;
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--ready-file" -> readyFile = Path.of(value(args, ++i));
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (dataDir == null) {
            usage("--data-dir is required");
        }
        Files.createDirectories(dataDir);
        LocalKafkaBroker broker =
                port > 0 ? new LocalKafkaBroker(dataDir, port) : new LocalKafkaBroker(dataDir);
        broker.start();
        System.out.println("bootstrap.servers=" + broker.bootstrapServers());
        System.out.flush();
        if (readyFile != null) {
            Files.writeString(readyFile, broker.bootstrapServers() + "\n");
        }
        // The broker JVM dies with this one (its stdin is our pipe); on SIGTERM or Ctrl-C the
        // broker's shutdown hook stops it cleanly.
        new CountDownLatch(1).await();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage("missing value for " + args[i - 1]);
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("LocalKafkaMain: " + problem);
        System.err.println("usage: LocalKafkaMain --data-dir DIR [--port N] [--ready-file FILE]");
        System.exit(2);
    }
}
