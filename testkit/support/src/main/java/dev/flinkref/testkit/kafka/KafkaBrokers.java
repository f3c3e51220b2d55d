package dev.flinkref.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Chooses the broker: {@code -Dkafka.broker=local|container|auto} (default {@code auto}: a
 * container where a Docker engine answers, else a local broker from the Maven jars).
 */
public final class KafkaBrokers {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokers.class);
    static final String DEFAULT_IMAGE = "apache/kafka:4.2.0";

    private KafkaBrokers() {}

    /** A new, not yet started broker. */
    public static KafkaBroker create() {
        String choice = System.getProperty("kafka.broker", "auto");
        String image = System.getProperty("kafka.image", DEFAULT_IMAGE);
        switch (choice) {
            case "local":
                return local();
            case "container":
                return new ContainerKafkaBroker(image);
            case "auto":
                if (DockerClientFactory.instance().isDockerAvailable()) {
                    LOG.info("kafka.broker=auto: Docker is available, using container {}", image);
                    return new ContainerKafkaBroker(image);
                }
                LOG.info("kafka.broker=auto: no Docker engine, using a local broker JVM");
                return local();
            default:
                throw new IllegalArgumentException(
                        "-Dkafka.broker must be local, container or auto, not '" + choice + "'");
        }
    }

    private static KafkaBroker local() {
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(tmp);
            return new LocalKafkaBroker(Files.createTempDirectory(tmp, "kafka-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
