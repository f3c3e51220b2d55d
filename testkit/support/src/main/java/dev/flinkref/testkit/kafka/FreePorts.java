package dev.flinkref.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports nobody listens on right now; others may run tests on the same machine. */
public final class FreePorts {
    private FreePorts() {}

    /** The first of {@code count} consecutive free ports (e.g. a metrics reporter's port range). */
    public static int range(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            boolean allFree = true;
            for (int port = first; port < first + count && allFree; port++) {
                try (ServerSocket socket =
                        new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    // free
                } catch (IOException e) {
                    allFree = false;
                }
            }
            if (allFree) {
                return first;
            }
        }
        throw new IllegalStateException("no range of " + count + " free loopback ports");
    }

    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
