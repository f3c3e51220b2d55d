package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.KafkaBrokers;

/**
 * Prints the broker {@code -Dkafka.broker=auto} chooses in this JVM's environment: the container
 * tests run it against their own engine (which cannot pull images) through {@code DOCKER_HOST}.
 */
public final class KafkaBrokerChoiceProbe {
    private KafkaBrokerChoiceProbe() {}

    public static void main(String[] args) {
        System.out.println("chosen: " + KafkaBrokers.create().getClass().getSimpleName());
    }
}
