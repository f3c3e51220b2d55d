package dev.flinkref.bench;

import dev.flinkref.testkit.kafka.FreePorts;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import dev.flinkref.testkit.kafka.LocalKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What every measurement shares: one Kafka broker (its own JVM, so its CPU is accounted apart), the
 * job jars, a work directory, and the way a measured run goes: watch the output, start the process,
 * wait for the expected output, verify it, then count the figure.
 */
final class BenchEnvironment implements AutoCloseable {
    /** Partitions of every input and output topic: one per parallel subtask / stream thread. */
    static final int PARTITIONS = 2;

    final Path repo;
    final Path work;
    final LocalKafkaBroker broker;
    final KafkaTestClient kafka;
    private final AtomicInteger runs = new AtomicInteger();

    BenchEnvironment(Path repo, Path work) {
        this.repo = repo;
        this.work = work;
        this.broker = new LocalKafkaBroker(work.resolve("kafka"));
        broker.start();
        this.kafka = new KafkaTestClient(broker.bootstrapServers());
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    Path jobJar(String job) {
        Path jar = repo.resolve("jobs/" + job + "/target/" + job + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": scripts/bench builds it first");
        }
        return jar;
    }

    /** The harness's own classes, for its baseline Flink jobs. */
    Path benchClasses() {
        return repo.resolve("bench/target/classes");
    }

    String topic(String prefix, int partitions) {
        return kafka.createUniqueTopic(prefix, partitions);
    }

    /**
     * A config.yaml for a job's embedded MiniCluster: what a FlinkDeployment would set, here with
     * checkpoints on the local disk and the REST API on a free loopback port.
     */
    FlinkConf flinkConf(String name, Duration checkpointInterval) throws IOException {
        return flinkConf(name, checkpointInterval, Map.of());
    }

    /** As above, with {@code cluster}'s keys added (e.g. settings production ships). */
    FlinkConf flinkConf(String name, Duration checkpointInterval, Map<String, String> cluster)
            throws IOException {
        Path dir = work.resolve("runs").resolve(runs.incrementAndGet() + "-" + name);
        Files.createDirectories(dir.resolve("tmp"));
        int restPort = FreePorts.next();
        List<String> lines =
                List.of(
                        "parallelism.default: 2",
                        "taskmanager.numberOfTaskSlots: 2",
                        "execution.checkpointing.interval: "
                                + checkpointInterval.toMillis()
                                + " ms",
                        "execution.checkpointing.dir: file://" + dir.resolve("checkpoints"),
                        "rest.address: 127.0.0.1",
                        "rest.bind-address: 127.0.0.1",
                        "rest.port: " + restPort,
                        "web.checkpoints.history: 1000",
                        // The REST API's metrics are at most this old: the steady-rate sampler
                        // reads a few-second flow every 0.1 s.
                        "metrics.fetcher.update-interval: 100",
                        "io.tmp.dirs: " + dir.resolve("tmp"));
        lines = new java.util.ArrayList<>(lines);
        for (Map.Entry<String, String> setting : cluster.entrySet()) {
            lines.add(setting.getKey() + ": " + setting.getValue());
        }
        // --flink-conf ($BENCH_FLINK_CONF): extra config.yaml lines for an experiment.
        lines.addAll(BenchKnobs.current().flinkConf());
        Files.write(dir.resolve("config.yaml"), lines);
        Files.write(
                dir.resolve("log4j2.properties"),
                List.of(
                        "rootLogger.level = WARN",
                        "rootLogger.appenderRef.console.ref = Console",
                        "appender.console.name = Console",
                        "appender.console.type = Console",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n"));
        return new FlinkConf(dir, "http://127.0.0.1:" + restPort);
    }

    /** A job's config directory and the REST URL its MiniCluster will serve. */
    record FlinkConf(Path dir, String restUrl) {
        Path log() {
            return dir.resolve("job.log");
        }
    }

    /** A Flink job's {@code main} to run: its jars on the distribution's lib/, its arguments. */
    record FlinkJob(String label, List<Path> jars, String mainClass, List<String> args) {}

    /**
     * Runs {@code job} with {@code conf} until {@code expected} output records (as counted by
     * {@code counts}) are visible on {@code outputTopic}, verifies the output, and returns the
     * figure. A bounded job must then exit 0; an unbounded one is stopped.
     */
    Measurement measure(
            FlinkJob job,
            FlinkConf conf,
            boolean bounded,
            long inputRecords,
            String outputTopic,
            int expected,
            java.util.function.Predicate<CommittedWatcher.Seen> counts,
            Consumer<List<CommittedWatcher.Seen>> verify)
            throws Exception {
        String label = job.label();
        try (CommittedWatcher watcher =
                new CommittedWatcher(bootstrap(), outputTopic, PARTITIONS, counts)) {
            double brokerBefore = Proc.cpuSeconds(broker.pid());
            long startMillis = System.currentTimeMillis();
            try (Child child =
                    Child.flinkJob(
                            label,
                            job.jars(),
                            job.mainClass(),
                            job.args(),
                            conf.dir(),
                            conf.log())) {
                double jobCpu = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
                long exitedAt = 0;
                long lastCounted = -1;
                long lastProgress = System.nanoTime();
                while (true) {
                    long counted = watcher.counted();
                    if (counted != lastCounted) {
                        lastCounted = counted;
                        lastProgress = System.nanoTime();
                    } else if (counted > 0
                            && System.nanoTime() - lastProgress > Duration.ofMinutes(2).toNanos()) {
                        throw new IllegalStateException(
                                label
                                        + ": output stuck at "
                                        + counted
                                        + " of "
                                        + expected
                                        + child.tail());
                    }
                    if (counted >= expected) {
                        jobCpu = child.cpuSeconds();
                        break;
                    }
                    if (!child.isAlive()) {
                        exitedAt = exitedAt == 0 ? System.nanoTime() : exitedAt;
                        if (System.nanoTime() - exitedAt > Duration.ofSeconds(15).toNanos()) {
                            throw new IllegalStateException(
                                    label
                                            + ": process ended with "
                                            + counted
                                            + " of "
                                            + expected
                                            + " output records"
                                            + child.tail());
                        }
                    } else {
                        child.cpuSeconds();
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(label + ": timed out" + child.tail());
                    }
                    Thread.sleep(100);
                }
                double brokerCpu = Proc.cpuSeconds(broker.pid()) - brokerBefore;
                if (bounded) {
                    child.awaitExit(300);
                }
                long lastVisible = watcher.lastCountedVisibleAt();
                // Late duplicates would show here: wait a moment for anything still to come.
                Thread.sleep(bounded ? 0 : 2000);
                verify.accept(watcher.seen());
                return new Measurement(
                        label,
                        inputRecords,
                        (lastVisible - startMillis) / 1000.0,
                        jobCpu,
                        brokerCpu);
            }
        }
    }

    static void progress(String format, Object... args) {
        System.out.printf(
                "[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
        System.out.flush();
    }

    @Override
    public void close() {
        kafka.close();
        broker.stop();
    }
}
