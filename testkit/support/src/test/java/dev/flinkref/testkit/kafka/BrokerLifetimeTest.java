package dev.flinkref.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A broker cannot outlive its owner, even one killed with SIGKILL. */
class BrokerLifetimeTest {
    @Test
    void theBrokerDiesWhenItsOwnerIsKilled() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path dataDir = Files.createTempDirectory(tmp, "kafka-owner-");
        Path ready = dataDir.resolve("ready");
        Process owner =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                LocalKafkaMain.class.getName(),
                                "--data-dir",
                                dataDir.toString(),
                                "--ready-file",
                                ready.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dataDir.resolve("owner.out").toFile())
                        .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(ready) && System.nanoTime() < deadline && owner.isAlive()) {
                Thread.sleep(100);
            }
            assertThat(ready).exists();
            List<ProcessHandle> brokers = owner.toHandle().children().toList();
            assertThat(brokers).hasSize(1);
            ProcessHandle broker = brokers.get(0);

            owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            Optional<ProcessHandle> stillThere = Optional.of(broker);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (broker.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(stillThere.get().isAlive()).as("broker outlived its killed owner").isFalse();
        } finally {
            owner.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            owner.destroyForcibly();
        }
    }
}
