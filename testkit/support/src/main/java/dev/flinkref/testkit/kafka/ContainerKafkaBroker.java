package dev.flinkref.testkit.kafka;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The official {@code apache/kafka} image through Testcontainers, where a Docker engine exists.
 * Same settings as {@link LocalKafkaBroker} where they matter: single node, retention off.
 */
public final class ContainerKafkaBroker implements KafkaBroker {
    private final KafkaContainer container;

    public ContainerKafkaBroker(String image) {
        container =
                new KafkaContainer(DockerImageName.parse(image))
                        .withEnv("KAFKA_LOG_RETENTION_MS", "-1")
                        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                        .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                        // As LocalKafkaBroker: client quotas measured over 2 s, not 11.
                        .withEnv("KAFKA_QUOTA_WINDOW_NUM", "2")
                        .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                        .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                        .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
    }

    @Override
    public void start() {
        if (!container.isRunning()) {
            if (container.getContainerId() == null) {
                container.start();
            } else {
                // Same container, same port mappings, same data: a broker restart.
                container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            }
        }
    }

    @Override
    public void stop() {
        if (container.isRunning()) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
        }
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }
}
