package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real S3 API server on loopback (S3Proxy, filesystem backend): where the cluster keeps its
 * checkpoints and savepoints, through Flink's S3 plugin, exactly as it would on AWS. A bucket is a
 * directory of the backend, so listing the bucket is listing that directory.
 */
final class S3ProxyServer {
    static final String BUCKET = "flink";
    static final String IDENTITY = "local";

    private final int port;
    private final String credential;
    private final Path dataDir;

    private S3ProxyServer(int port, String credential, Path dataDir) {
        this.port = port;
        this.credential = credential;
        this.dataDir = dataDir;
    }

    static S3ProxyServer of(int port, String credential, Path dataDir) {
        return new S3ProxyServer(port, credential, dataDir);
    }

    static S3ProxyServer create(Path dataDir) {
        return new S3ProxyServer(FreePorts.next(), UUID.randomUUID().toString(), dataDir);
    }

    ManagedProcess start(Path s3proxyJar, Path logDir) throws IOException, InterruptedException {
        Path blobs = dataDir.resolve("blobs");
        // Buckets must exist before Flink writes: S3A does not create them.
        Files.createDirectories(blobs.resolve(BUCKET));
        Path properties = dataDir.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=" + endpoint(),
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + IDENTITY,
                        "s3proxy.credential=" + credential,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + blobs,
                        ""));
        ManagedProcess process =
                ManagedProcess.start(
                        "s3proxy",
                        List.of(
                                Java.executable(),
                                "-Xmx256m",
                                "-Djava.io.tmpdir=" + dataDir,
                                "-jar",
                                s3proxyJar.toString(),
                                "--properties",
                                properties.toString()),
                        Map.of(),
                        logDir.resolve("s3proxy.log"));
        Http.awaitUp("S3Proxy", endpoint(), Duration.ofSeconds(60), process);
        return process;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    String credential() {
        return credential;
    }

    /** The bucket's content on disk: what an S3 listing of the bucket shows. */
    Path bucketDir() {
        return dataDir.resolve("blobs").resolve(BUCKET);
    }
}
