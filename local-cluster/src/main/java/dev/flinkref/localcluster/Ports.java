package dev.flinkref.localcluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports; others may run stacks and tests on the same machine. */
final class Ports {
    private Ports() {}

    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** The first port of {@code count} consecutive free ones. */
    static int freeRange(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = 20_000 + (int) (Math.random() * 30_000);
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
        throw new IllegalStateException("no range of " + count + " free ports");
    }
}
