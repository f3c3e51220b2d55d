package dev.flinkref.testkit.kafka;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Chooses the broker: {@code -Dkafka.broker=local|container|auto} (default {@code auto}: a
 * container where a Docker engine answers and has, or can pull, the Kafka image; else a local
 * broker from the Maven jars). An engine that cannot pull (no registry access) is no reason to
 * fail.
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
                Optional<String> noContainer = containerUnavailable(image);
                if (noContainer.isEmpty()) {
                    LOG.info("kafka.broker=auto: using container {}", image);
                    return new ContainerKafkaBroker(image);
                }
                LOG.info("kafka.broker=auto: {}, using a local broker JVM", noContainer.get());
                return local();
            default:
                throw new IllegalArgumentException(
                        "-Dkafka.broker must be local, container or auto, not '" + choice + "'");
        }
    }

    /** Why no container broker can run, decided once per JVM; empty if one can. */
    private static synchronized Optional<String> containerUnavailable(String image) {
        return CONTAINER_CHECKS.computeIfAbsent(image, KafkaBrokers::checkContainer);
    }

    private static final Map<String, Optional<String>> CONTAINER_CHECKS = new HashMap<>();

    private static Optional<String> checkContainer(String image) {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.of("no Docker engine");
            }
            DockerClient client = DockerClientFactory.instance().client();
            try {
                client.inspectImageCmd(image).exec();
                return Optional.empty();
            } catch (NotFoundException notLocal) {
                if (client.pullImageCmd(image).start().awaitCompletion(2, TimeUnit.MINUTES)) {
                    return Optional.empty();
                }
                return Optional.of("the Docker engine cannot pull " + image + " within 2 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while looking for " + image);
        } catch (RuntimeException e) {
            // No registry access (or Testcontainers' own images missing): not a reason to fail.
            return Optional.of(
                    "the Docker engine has no " + image + " and cannot get it (" + e + ")");
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
