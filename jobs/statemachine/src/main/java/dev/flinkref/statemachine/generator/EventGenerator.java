package dev.flinkref.statemachine.generator;

import dev.flinkref.common.options.HelpRequested;
import dev.flinkref.common.options.Option;
import dev.flinkref.common.options.OptionParser;
import dev.flinkref.common.options.ParsedOptions;
import dev.flinkref.common.options.UsageException;
import dev.flinkref.statemachine.AlertJson;
import dev.flinkref.statemachine.InputFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes state-machine events to Kafka: {@code --addresses} concurrent machines, a share of
 * deliberately invalid events, optionally the exact alerts the job must raise for them.
 */
public final class EventGenerator {
    private static final Option<String> BOOTSTRAP =
            Option.string("bootstrap-servers", "HOST:PORT[,...]", "Kafka bootstrap servers.")
                    .withEnvFallback("KAFKA_BOOTSTRAP_SERVERS")
                    .required();
    private static final Option<String> TOPIC =
            Option.string("topic", "TOPIC", "Topic to write to.").withDefault("statemachine-input");
    private static final Option<Integer> ADDRESSES =
            Option.positiveInt("addresses", "N", "Concurrent state machines.").withDefault(1000);
    private static final Option<Long> RATE =
            Option.of(
                            "rate",
                            "EVENTS_PER_S",
                            "Events per second; 0 = as fast as possible.",
                            value -> nonNegative(Long.parseLong(value.trim())))
                    .withDefault(1000L);
    private static final Option<Long> COUNT =
            Option.of(
                    "count",
                    "N",
                    "Events to write (default 100000 unless --duration).",
                    value -> positive(Long.parseLong(value.trim())));
    private static final Option<Duration> DURATION =
            Option.duration("duration", "How long to write (instead of --count).");
    private static final Option<Double> INVALID_RATIO =
            Option.of(
                            "invalid-ratio",
                            "RATIO",
                            "Share of deliberately invalid events, 0 to 1.",
                            EventGenerator::ratio)
                    .withDefault(0.001);
    private static final Option<Long> SEED =
            Option.of(
                    "seed",
                    "N",
                    "Random seed: same seed, same events (default: random, printed).",
                    value -> Long.parseLong(value.trim()));
    private static final Option<InputFormat> FORMAT =
            Option.choice("format", InputFormat.class, "Event encoding.")
                    .withDefault(InputFormat.JSON);
    private static final Option<String> EXPECTED_ALERTS =
            Option.string(
                    "expected-alerts",
                    "FILE",
                    "Write the alerts the job must raise, one JSON per line, as the job writes them.");

    private static final Option<Integer> PARTITIONS =
            Option.positiveInt(
                    "partitions",
                    "N",
                    "Create the topic with N partitions if it does not exist (else a missing topic"
                            + " is an error).");

    private static final OptionParser PARSER =
            new OptionParser(
                    "generate-events",
                    "Writes state-machine events to Kafka, keyed by address.",
                    List.of(
                            BOOTSTRAP,
                            TOPIC,
                            ADDRESSES,
                            RATE,
                            COUNT,
                            DURATION,
                            INVALID_RATIO,
                            SEED,
                            FORMAT,
                            EXPECTED_ALERTS,
                            PARTITIONS));

    /** The parsed command line. */
    record Settings(
            String bootstrapServers,
            String topic,
            int addresses,
            long rate,
            long count,
            Duration duration,
            double invalidRatio,
            long seed,
            InputFormat format,
            Path expectedAlerts,
            Integer partitions) {}

    private EventGenerator() {}

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = parse(args);
        } catch (HelpRequested help) {
            System.out.println(help.usage());
            return;
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(settings);
    }

    static Settings parse(String... args) {
        ParsedOptions parsed = PARSER.parse(args);
        if (parsed.find(COUNT).isPresent() && parsed.find(DURATION).isPresent()) {
            throw new UsageException("generate-events: give --count or --duration, not both");
        }
        long seed = parsed.find(SEED).orElseGet(() -> ThreadLocalRandom.current().nextLong());
        return new Settings(
                parsed.get(BOOTSTRAP),
                parsed.get(TOPIC),
                parsed.get(ADDRESSES),
                parsed.get(RATE),
                parsed.find(COUNT)
                        .orElse(parsed.find(DURATION).isPresent() ? Long.MAX_VALUE : 100_000L),
                parsed.find(DURATION).orElse(null),
                parsed.get(INVALID_RATIO),
                seed,
                parsed.get(FORMAT),
                parsed.find(EXPECTED_ALERTS).map(Path::of).orElse(null),
                parsed.find(PARTITIONS).orElse(null));
    }

    static void run(Settings settings) throws Exception {
        ensureTopic(settings);
        System.err.printf(
                "Writing events to %s on %s: %d machines, %s, invalid ratio %s, seed %d%n",
                settings.topic(),
                settings.bootstrapServers(),
                settings.addresses(),
                settings.rate() == 0 ? "unthrottled" : settings.rate() + " events/s",
                settings.invalidRatio(),
                settings.seed());
        EventSequence sequence =
                new EventSequence(settings.seed(), settings.addresses(), settings.invalidRatio());
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acknowledged = new AtomicLong();
        long start = System.nanoTime();
        long deadline =
                settings.duration() == null
                        ? Long.MAX_VALUE
                        : start + settings.duration().toNanos();
        long nextReport = start + Duration.ofSeconds(2).toNanos();
        try (KafkaProducer<byte[], byte[]> producer = producer(settings.bootstrapServers());
                Writer alerts = alertWriter(settings.expectedAlerts())) {
            for (long i = 0; i < settings.count() && System.nanoTime() < deadline; i++) {
                if (failure.get() != null) {
                    break;
                }
                pace(settings.rate(), start, i);
                EventSequence.Step step = sequence.next(System.currentTimeMillis());
                producer.send(
                        new ProducerRecord<>(
                                settings.topic(),
                                null,
                                step.event().timestamp,
                                EventEncoding.key(step.event()),
                                EventEncoding.encode(step.event(), settings.format())),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            } else {
                                acknowledged.incrementAndGet();
                            }
                        });
                if (step.expectedAlert() != null && alerts != null) {
                    alerts.write(AlertJson.encode(step.expectedAlert()));
                    alerts.write('\n');
                }
                if (System.nanoTime() >= nextReport) {
                    report(sequence, start);
                    nextReport += Duration.ofSeconds(2).toNanos();
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            System.err.println("generate-events: sending failed: " + failure.get());
            System.exit(1);
        }
        report(sequence, start);
        System.err.printf(
                "Done: %d events acknowledged, %d deliberately invalid (= expected alerts), %d"
                        + " machines completed.%s%n",
                acknowledged.get(),
                sequence.invalidEvents(),
                sequence.completedMachines(),
                settings.expectedAlerts() == null
                        ? ""
                        : " Expected alerts: " + settings.expectedAlerts());
    }

    /** Fails fast on a missing topic instead of timing out on every send. */
    private static void ensureTopic(Settings settings) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                settings.bootstrapServers(),
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                30_000))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (topics.contains(settings.topic())) {
                return;
            }
            if (settings.partitions() == null) {
                System.err.println(
                        "generate-events: topic "
                                + settings.topic()
                                + " does not exist on "
                                + settings.bootstrapServers()
                                + "; create it or pass --partitions N");
                System.exit(1);
            }
            admin.createTopics(
                            List.of(
                                    new NewTopic(
                                            settings.topic(), settings.partitions(), (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            System.err.printf(
                    "Created topic %s with %d partitions%n",
                    settings.topic(), settings.partitions());
        }
    }

    private static void pace(long rate, long start, long index) throws InterruptedException {
        if (rate == 0) {
            return;
        }
        long due = start + index * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static void report(EventSequence sequence, long start) {
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        System.err.printf(
                "  %,d events in %.1f s (%,.0f/s), %,d invalid, %,d machines completed%n",
                sequence.events(),
                seconds,
                sequence.events() / seconds,
                sequence.invalidEvents(),
                sequence.completedMachines());
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        10,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static Writer alertWriter(Path file) throws IOException {
        if (file == null) {
            return null;
        }
        BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        return writer;
    }

    private static long nonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return value;
    }

    private static long positive(long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("must be positive");
        }
        return value;
    }

    private static double ratio(String value) {
        double ratio = Double.parseDouble(value.trim());
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("must be within 0 and 1");
        }
        return ratio;
    }
}
