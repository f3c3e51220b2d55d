package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real single-node ZooKeeper on loopback, for JobManager high availability: the ZooKeeper server
 * that Flink's distribution itself ships in {@code lib/} ({@code flink-shaded-zookeeper-3} from
 * Maven Central, the one Flink's HA services talk to), started as {@code zkServer.sh} would.
 */
final class ZooKeeperServer {
    private static final String MAIN =
            "org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.server.ZooKeeperServerMain";

    private final int port;
    private final Path dataDir;

    private ZooKeeperServer(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    static ZooKeeperServer create(Path dataDir) {
        return new ZooKeeperServer(FreePorts.next(), dataDir);
    }

    ManagedProcess start(Path flinkLib, Path logDir) throws IOException, InterruptedException {
        Files.createDirectories(dataDir.resolve("data"));
        Path config = dataDir.resolve("zoo.cfg");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        // Sessions of 2 to 20 s are allowed (2 and 20 ticks).
                        "tickTime=1000",
                        "dataDir=" + dataDir.resolve("data"),
                        "clientPort=" + port,
                        "clientPortAddress=127.0.0.1",
                        "maxClientCnxns=0",
                        // The AdminServer would take port 8080 on all interfaces.
                        "admin.enableServer=false",
                        "4lw.commands.whitelist=ruok",
                        ""));
        ManagedProcess process =
                ManagedProcess.start(
                        "zookeeper",
                        List.of(
                                Java.executable(),
                                "-Xmx128m",
                                "-Djava.io.tmpdir=" + dataDir,
                                "-Dzookeeper.admin.enableServer=false",
                                "-Dlog.file=" + logDir.resolve("zookeeper.log"),
                                "-classpath",
                                flinkLib + "/*",
                                MAIN,
                                config.toString()),
                        Map.of(),
                        logDir.resolve("zookeeper.out"));
        awaitUp(process, Duration.ofSeconds(60));
        return process;
    }

    /** {@code host:port}, as {@code high-availability.zookeeper.quorum} takes it. */
    String quorum() {
        return "127.0.0.1:" + port;
    }

    /** Ready when it answers ZooKeeper's {@code ruok} with {@code imok}. */
    private void awaitUp(ManagedProcess process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ZooKeeper exited during start; see its log");
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                // A ruok that lands while the server is still loading its database is answered,
                // but the socket is never closed (an NPE in ZooKeeper's cleanup, seen in
                // zookeeper.out): without a timeout the read below waits forever.
                socket.setSoTimeout(2_000);
                OutputStream out = socket.getOutputStream();
                out.write("ruok".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                if (new String(in.readAllBytes(), StandardCharsets.US_ASCII).equals("imok")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("ZooKeeper not up on " + quorum() + " within " + timeout);
    }
}
