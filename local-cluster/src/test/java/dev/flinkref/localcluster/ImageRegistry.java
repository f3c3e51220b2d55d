package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real image registry on loopback: Debian's {@code docker-registry} (Docker Distribution 2.8),
 * filesystem storage in the test's folder. Docker treats 127.0.0.0/8 registries as insecure (plain
 * HTTP) without configuration, as it would a registry behind a cluster-internal address.
 */
final class ImageRegistry implements AutoCloseable {
    private final int port;
    private final Path storage;
    private final ManagedProcess process;

    private ImageRegistry(int port, Path storage, ManagedProcess process) {
        this.port = port;
        this.storage = storage;
        this.process = process;
    }

    static ImageRegistry start(Path workDir) throws IOException, InterruptedException {
        int port = FreePorts.next();
        Path storage = workDir.resolve("registry");
        Files.createDirectories(storage);
        Path config = workDir.resolve("registry.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "version: 0.1",
                        "log:",
                        "  level: warn",
                        "storage:",
                        "  filesystem:",
                        "    rootdirectory: " + storage,
                        "http:",
                        "  addr: 127.0.0.1:" + port,
                        ""));
        ManagedProcess process =
                ManagedProcess.start(
                        "docker-registry",
                        List.of("docker-registry", "serve", config.toString()),
                        Map.of(),
                        workDir.resolve("logs/registry.log"));
        ImageRegistry registry = new ImageRegistry(port, storage, process);
        Http.awaitUp("docker-registry", registry.url() + "/v2/", Duration.ofSeconds(30), process);
        return registry;
    }

    /** The registry's host:port, as image names carry it. */
    String address() {
        return "127.0.0.1:" + port;
    }

    String url() {
        return "http://" + address();
    }

    @Override
    public void close() {
        process.stop();
        Shell.run(List.of("rm", "-rf", storage.toString()), Map.of(), Duration.ofMinutes(2), null);
    }
}
