package dev.flinkref.testkit.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker per test class ({@link KafkaBrokers} chooses which kind), stopped after the
 * class even when tests fail:
 *
 * <pre>
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();}
 * </pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private KafkaBroker broker;
    private KafkaTestClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = KafkaBrokers.create();
        broker.start();
        client = new KafkaTestClient(broker.bootstrapServers());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    public KafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("register the extension as a static field");
        }
        return broker;
    }

    public KafkaTestClient client() {
        broker();
        return client;
    }
}
