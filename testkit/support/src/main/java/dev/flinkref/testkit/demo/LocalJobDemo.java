package dev.flinkref.testkit.demo;

import dev.flinkref.testkit.kafka.FreePorts;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import dev.flinkref.testkit.kafka.LocalKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a local demo of a job needs: a real Kafka broker with the job's topics, and the job's real
 * {@code main} in its own JVM, in a local Flink environment with the Web UI on a free port. Stops
 * everything it started on {@link #close()} and on JVM shutdown (Ctrl-C).
 */
public final class LocalJobDemo implements AutoCloseable {
    private final Path work;
    private final LocalKafkaBroker broker;
    private final List<Process> jobs = new ArrayList<>();

    private LocalJobDemo(Path work, LocalKafkaBroker broker) {
        this.work = work;
        this.broker = broker;
    }

    /** Starts a broker under {@code work} and creates the topics (name -> partitions). */
    public static LocalJobDemo start(Path work, Map<String, Integer> topics) throws IOException {
        Files.createDirectories(work);
        LocalJobDemo demo =
                new LocalJobDemo(
                        work, new LocalKafkaBroker(Files.createTempDirectory(work, "kafka-")));
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("\nStopping the job and the broker...");
                                    demo.close();
                                }));
        System.out.println("Starting a Kafka broker (KRaft, loopback)...");
        demo.broker.start();
        try (KafkaTestClient kafka = new KafkaTestClient(demo.bootstrapServers())) {
            topics.forEach(kafka::createTopic);
        }
        System.out.println("Kafka: " + demo.bootstrapServers() + ", topics " + topics.keySet());
        return demo;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /**
     * Runs {@code mainClass} with {@code args} in a new JVM on this JVM's classpath. Its Flink
     * configuration ({@code FLINK_CONF_DIR}): loopback Web UI on a free port, parallelism 2, a
     * checkpoint every 2 s (exactly-once output becomes visible with each checkpoint).
     */
    public Process startJob(String name, Class<?> mainClass, String... args) throws IOException {
        int restPort = FreePorts.next();
        Path confDir = writeFlinkConfig(name, restPort);
        Path log = work.resolve(name + "-job.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dlog4j2.configurationFile="
                                + confDir.resolve("log4j2.properties").toUri(),
                        mainClass.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("FLINK_CONF_DIR", confDir.toString());
        Process job = builder.start();
        synchronized (jobs) {
            jobs.add(job);
        }
        System.out.println(name + " job starting; Flink Web UI: http://127.0.0.1:" + restPort);
        System.out.println("Job log: " + log);
        return job;
    }

    @Override
    public void close() {
        synchronized (jobs) {
            jobs.forEach(Process::destroy);
            jobs.clear();
        }
        broker.stop();
    }

    private Path writeFlinkConfig(String name, int restPort) throws IOException {
        Path confDir = work.resolve(name + "-conf");
        Files.createDirectories(confDir);
        Files.writeString(
                confDir.resolve("config.yaml"),
                String.join(
                        "\n",
                        "# The local Flink environment of the demo (an embedded MiniCluster).",
                        "rest.address: 127.0.0.1",
                        "rest.bind-address: 127.0.0.1",
                        "rest.port: " + restPort,
                        "parallelism.default: 2",
                        "taskmanager.numberOfTaskSlots: 2",
                        "# Exactly-once output becomes visible when a checkpoint commits it.",
                        "execution.checkpointing.interval: 2 s",
                        "execution.checkpointing.dir: "
                                + work.resolve(name + "-checkpoints").toUri(),
                        ""));
        Files.writeString(
                confDir.resolve("log4j2.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.out.ref = Out",
                        "appender.out.type = Console",
                        "appender.out.name = Out",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN",
                        ""));
        return confDir;
    }
}
