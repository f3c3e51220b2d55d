package dev.flinkref.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (KRaft, broker and controller in one node) in its own JVM, started from the
 * Maven Central jars whose classpath the {@code testkit-broker} module resolved at build time.
 *
 * <p>Its own JVM, because in Flink's JVM the broker would force its kafka-clients version onto the
 * connector. Its standard input is a pipe from this JVM: when this JVM dies, even by {@code kill
 * -9}, the broker sees end of file and exits, so it cannot outlive its owner.
 */
public final class LocalKafkaBroker implements KafkaBroker {
    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final SaslPlainUser saslUser;
    private final int saslPort;
    private BrokerTls tls;
    private String clusterId;
    private final Thread shutdownHook = new Thread(this::stop, "local-kafka-broker-stop");
    private Process process;

    /** A broker on free loopback ports, with its data, config and logs in {@code dataDir}. */
    public LocalKafkaBroker(Path dataDir) {
        this(dataDir, FreePorts.next());
    }

    public LocalKafkaBroker(Path dataDir, int brokerPort) {
        this(dataDir, brokerPort, null);
    }

    private LocalKafkaBroker(Path dataDir, int brokerPort, SaslPlainUser saslUser) {
        this.dataDir = dataDir.toAbsolutePath();
        this.brokerPort = brokerPort;
        this.controllerPort = FreePorts.next();
        this.saslUser = saslUser;
        this.saslPort = saslUser == null ? -1 : FreePorts.next();
    }

    /**
     * A broker with a second listener as managed Kafka services offer one: {@code SASL_SSL} (TLS
     * with a certificate for 127.0.0.1, SASL mechanism {@code PLAIN}) that admits only {@code
     * user}. {@link #bootstrapServers()} stays plain for the test's own clients.
     */
    public static LocalKafkaBroker withSaslSslListener(Path dataDir, SaslPlainUser user) {
        return new LocalKafkaBroker(dataDir, FreePorts.next(), user);
    }

    /** The authenticated listener's address (see {@link #withSaslSslListener}). */
    public String saslBootstrapServers() {
        requireSasl();
        return "127.0.0.1:" + saslPort;
    }

    /**
     * The client properties that reach {@link #saslBootstrapServers()} as {@code user}: TLS with
     * the broker's truststore, SASL/PLAIN with the user's credentials.
     */
    public Properties clientProperties(SaslPlainUser user) {
        requireSasl();
        Properties properties = new Properties();
        properties.setProperty("security.protocol", "SASL_SSL");
        properties.putAll(user.saslProperties());
        properties.putAll(tls().clientProperties());
        return properties;
    }

    /** Writes {@link #clientProperties} to {@code file}, as a mounted Secret holds them. */
    public Path writeClientProperties(SaslPlainUser user, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            clientProperties(user).store(out, null);
        }
        return file;
    }

    private void requireSasl() {
        if (saslUser == null) {
            throw new IllegalStateException("this broker has no SASL listener");
        }
    }

    private synchronized BrokerTls tls() {
        if (tls == null) {
            try {
                tls = BrokerTls.in(dataDir.resolve("tls"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the broker's TLS material", e);
            }
        }
        return tls;
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(dataDir.resolve("tmp"));
            clusterId = existingClusterId().orElseGet(() -> Uuid.randomUuid().toString());
            Path properties = writeServerProperties();
            Path log4j = writeLog4jConfig();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(
                    List.of(
                            "-Xmx512m",
                            "-Xms128m",
                            "-Djava.awt.headless=true",
                            "-Djava.io.tmpdir=" + dataDir.resolve("tmp"),
                            "-Dlog4j2.configurationFile=" + log4j.toUri(),
                            "-cp",
                            brokerClasspath(),
                            "dev.flinkref.testkit.broker.KafkaBrokerMain",
                            properties.toString(),
                            clusterId));
            process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(
                                    ProcessBuilder.Redirect.appendTo(
                                            dataDir.resolve("broker.out").toFile()))
                            .start();
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker in " + dataDir, e);
        }
        awaitReady();
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            // End of file on stdin: the broker shuts down cleanly (see KafkaBrokerMain).
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            process = null;
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // Already shutting down: this is the hook running.
            }
        }
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The broker's process id, or -1 when it is not running. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Formatted storage keeps its cluster id; formatting it again with another one fails. */
    private Optional<String> existingClusterId() throws IOException {
        Path meta = dataDir.resolve("logs").resolve("meta.properties");
        if (!Files.exists(meta)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (var in = Files.newInputStream(meta)) {
            properties.load(in);
        }
        return Optional.ofNullable(properties.getProperty("cluster.id"));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000))) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "the Kafka broker exited with code "
                                    + process.exitValue()
                                    + " during start\n"
                                    + logTail());
                }
                try {
                    if (!admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
        throw new IllegalStateException(
                "the Kafka broker did not answer within "
                        + START_TIMEOUT
                        + " ("
                        + last
                        + ")\n"
                        + logTail());
    }

    private Path writeServerProperties() throws IOException {
        String controller = "127.0.0.1:" + controllerPort;
        String sasl = saslUser == null ? "" : ",SASL_SSL://" + saslBootstrapServers();
        List<String> saslSettings = new ArrayList<>();
        if (saslUser != null) {
            saslSettings.add("sasl.enabled.mechanisms=PLAIN");
            saslSettings.add(
                    "listener.name.sasl_ssl.plain.sasl.jaas.config=" + saslUser.serverJaasConfig());
            saslSettings.addAll(tls().serverProperties("SASL_SSL"));
        }
        String properties =
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@" + controller,
                        "listeners=PLAINTEXT://"
                                + bootstrapServers()
                                + sasl
                                + ",CONTROLLER://"
                                + controller,
                        "advertised.listeners=PLAINTEXT://" + bootstrapServers() + sasl,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                                + (saslUser == null ? "" : ",SASL_SSL:SASL_SSL"),
                        String.join("\n", saslSettings),
                        "log.dirs=" + dataDir.resolve("logs"),
                        "num.partitions=1",
                        "auto.create.topics.enable=false",
                        // One node: internal topics cannot have more replicas than that.
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=4",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "transaction.state.log.num.partitions=4",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        // transaction.max.timeout.ms stays at the broker default (15 min): the
                        // jobs'
                        // sinks must work against a broker as it ships.
                        // Test data may carry old timestamps; time-based retention would delete it
                        // on the first pass and consumers would silently skip to the end.
                        "log.retention.ms=-1",
                        "group.initial.rebalance.delay.ms=0",
                        // Client quotas (ConsumerRateLimit) measure over 2 s instead of 11: a new
                        // client may otherwise read ten seconds' worth before it is throttled.
                        "quota.window.num=2",
                        "");
        Path file = dataDir.resolve("server.properties");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
        return file;
    }

    private Path writeLog4jConfig() throws IOException {
        String config =
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = File",
                        "appender.file.type = File",
                        "appender.file.name = File",
                        "appender.file.fileName = " + dataDir.resolve("broker.log"),
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                        "logger.state.name = state.change.logger",
                        "logger.state.level = WARN",
                        "");
        Path file = dataDir.resolve("log4j2.properties");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    private String logTail() {
        StringBuilder tail = new StringBuilder();
        for (String name : List.of("broker.out", "broker.log")) {
            Path file = dataDir.resolve(name);
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                tail.append("--- last lines of ").append(file).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size())
                        .forEach(line -> tail.append(line).append('\n'));
            } catch (IOException e) {
                tail.append("--- ").append(file).append(": ").append(e).append('\n');
            }
        }
        return tail.toString();
    }

    /** The resolved broker jars plus the testkit-broker module itself (for KafkaBrokerMain). */
    static String brokerClasspath() throws IOException {
        URL resource = LocalKafkaBroker.class.getClassLoader().getResource(CLASSPATH_RESOURCE);
        if (resource == null) {
            throw new IllegalStateException(
                    CLASSPATH_RESOURCE + " not on the classpath: build testkit/broker first");
        }
        String classpath;
        try (var in = resource.openStream()) {
            classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        return classpath + java.io.File.pathSeparator + moduleLocation(resource);
    }

    private static String moduleLocation(URL resource) {
        try {
            String url = resource.toString();
            if (url.startsWith("jar:")) {
                String jar = url.substring("jar:".length(), url.indexOf("!/"));
                return Path.of(new java.net.URI(jar)).toString();
            }
            return Path.of(resource.toURI()).getParent().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unexpected resource URL " + resource, e);
        }
    }
}
