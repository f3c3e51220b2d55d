package dev.flinkref.testkit.kafka;

/** A real Kafka broker for tests and local runs. */
public interface KafkaBroker extends AutoCloseable {
    /**
     * Starts the broker and returns once it answers; after {@link #stop()}, restarts it on the same
     * ports and data.
     */
    void start();

    /** Stops the broker; its data stays for a later {@link #start()}. */
    void stop();

    String bootstrapServers();

    @Override
    default void close() {
        stop();
    }
}
