package dev.flinkref.statemachine.generator;

import dev.flinkref.common.options.HelpRequested;
import dev.flinkref.common.options.KafkaClientProperties;
import dev.flinkref.common.options.Option;
import dev.flinkref.common.options.OptionParser;
import dev.flinkref.common.options.ParsedOptions;
import dev.flinkref.common.options.UsageException;
import dev.flinkref.statemachine.AlertJson;
import dev.flinkref.statemachine.InputFormat;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes state-machine events to Kafka: {@code --addresses} concurrent machines, a share of
 * deliberately invalid events, optionally the exact alerts the job must raise for them.
 */
public final class EventGenerator {
    private static final Duration REPORT_INTERVAL = Duration.ofSeconds(2);

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
                            EventGenerator::nonNegative)
                    .withDefault(1000L);
    private static final Option<Long> COUNT =
            Option.of(
                    "count",
                    "N",
                    "Events to write (default 100000 unless --duration).",
                    EventGenerator::positive);
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
                    EventGenerator::wholeNumber);
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

    private static final Option<String> KAFKA_PROPERTIES =
            KafkaClientProperties.option("the producer and the admin client");

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
                            PARTITIONS,
                            KAFKA_PROPERTIES));

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
            Integer partitions,
            Properties clientProperties) {}

    private EventGenerator() {}

    /** What a run wrote. */
    record Summary(long events, long invalidEvents, long completedMachines) {}

    /** A run that could not write all its events; the message says why. */
    static final class GenerationFailed extends Exception {
        GenerationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

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
        try {
            run(settings);
        } catch (GenerationFailed e) {
            System.err.println("generate-events: " + e.getMessage());
            System.exit(1);
        }
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
                parsed.find(PARTITIONS).orElse(null),
                KafkaClientProperties.from(parsed, KAFKA_PROPERTIES));
    }

    /**
     * Writes the events and, if asked, the expected alerts. Returns only when the broker has
     * acknowledged every event; otherwise throws, and the expected-alerts file is not to be
     * trusted.
     */
    static Summary run(Settings settings) throws GenerationFailed, IOException {
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
        long nextReport = start + REPORT_INTERVAL.toNanos();
        try (KafkaProducer<byte[], byte[]> producer = producer(settings);
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
                    nextReport += REPORT_INTERVAL.toNanos();
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationFailed("interrupted", e);
        }
        // flush() waits for every send, but does not throw when one failed: the callbacks tell.
        if (failure.get() != null || acknowledged.get() != sequence.events()) {
            throw new GenerationFailed(
                    "the broker acknowledged "
                            + acknowledged.get()
                            + " of "
                            + sequence.events()
                            + " events"
                            + (failure.get() == null ? "" : ": " + failure.get()),
                    failure.get());
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
        return new Summary(
                sequence.events(), sequence.invalidEvents(), sequence.completedMachines());
    }

    /**
     * Fails fast on a missing topic instead of timing out on every send; with {@code --partitions}
     * creates it and waits until its partitions answer: an idempotent producer writing to a
     * partition created a moment ago can lose records (KAFKA-15591).
     */
    private static void ensureTopic(Settings settings) throws GenerationFailed {
        try (Admin admin =
                Admin.create(
                        KafkaClientProperties.with(
                                settings.clientProperties(),
                                Map.of(
                                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        settings.bootstrapServers(),
                                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                        30_000)))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (topics.contains(settings.topic())) {
                return;
            }
            if (settings.partitions() == null) {
                throw new GenerationFailed(
                        "topic "
                                + settings.topic()
                                + " does not exist on "
                                + settings.bootstrapServers()
                                + "; create it or pass --partitions N",
                        null);
            }
            admin.createTopics(
                            List.of(
                                    new NewTopic(
                                            settings.topic(), settings.partitions(), (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            awaitPartitions(admin, settings.topic(), settings.partitions());
            System.err.printf(
                    "Created topic %s with %d partitions%n",
                    settings.topic(), settings.partitions());
        } catch (ExecutionException | TimeoutException e) {
            throw new GenerationFailed(
                    "cannot reach Kafka at " + settings.bootstrapServers() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationFailed("interrupted", e);
        }
    }

    private static void awaitPartitions(Admin admin, String topic, int partitions)
            throws InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(
                            "partitions of " + topic + " not ready after 30 s: " + e);
                }
                Thread.sleep(100);
            }
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

    private static KafkaProducer<byte[], byte[]> producer(Settings settings) {
        return new KafkaProducer<>(
                KafkaClientProperties.with(
                        settings.clientProperties(),
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                settings.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.LINGER_MS_CONFIG,
                                10,
                                ProducerConfig.BATCH_SIZE_CONFIG,
                                256 * 1024)),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static Writer alertWriter(Path file) throws IOException {
        return file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    private static long wholeNumber(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }

    private static long nonNegative(String value) {
        long number = wholeNumber(value);
        if (number < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return number;
    }

    private static long positive(String value) {
        long number = wholeNumber(value);
        if (number <= 0) {
            throw new IllegalArgumentException("must be positive");
        }
        return number;
    }

    private static double ratio(String value) {
        double ratio;
        try {
            ratio = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("must be within 0 and 1");
        }
        return ratio;
    }
}
