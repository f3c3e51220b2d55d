package dev.flinkref.common.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionParserTest {
    private static final KafkaOptions.Spec KAFKA = KafkaOptions.spec("demo");
    private static final Option<Duration> WINDOW =
            Option.duration("window", "Window.").withDefault(Duration.ofSeconds(5));
    private static final OptionParser PARSER = parser();

    private static OptionParser parser() {
        List<Option<?>> options = new java.util.ArrayList<>(KAFKA.options());
        options.add(WINDOW);
        return new OptionParser("demo", "A demo job.", options);
    }

    private static KafkaOptions kafka(String... args) {
        return KAFKA.from(PARSER.parse(args, Map.of()));
    }

    @Test
    void defaultsDeriveFromTheJobName() {
        KafkaOptions options = kafka("--bootstrap-servers", "k:9092");

        assertThat(options.bootstrapServers()).isEqualTo("k:9092");
        assertThat(options.inputTopic()).isEqualTo("demo-input");
        assertThat(options.outputTopic()).isEqualTo("demo-output");
        assertThat(options.dlqTopic()).isEqualTo("demo-dlq");
        assertThat(options.groupId()).isEqualTo("demo");
        assertThat(options.transactionalIdPrefix()).isEqualTo("demo");
        assertThat(options.bounded()).isFalse();
        assertThat(options.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(options.clientProperties()).isEmpty();
    }

    @Test
    void parsesEveryStandardOption(@TempDir Path dir) throws IOException {
        Path properties = dir.resolve("client.properties");
        Files.writeString(properties, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");

        KafkaOptions options =
                kafka(
                        "--bootstrap-servers=a:1,b:2",
                        "--input-topic",
                        "in",
                        "--output-topic",
                        "out",
                        "--dlq-topic",
                        "dead",
                        "--group-id",
                        "g",
                        "--kafka-properties",
                        properties.toString(),
                        "--bounded",
                        "--delivery-guarantee",
                        "at-least-once",
                        "--transactional-id-prefix",
                        "tx");

        assertThat(options)
                .isEqualTo(
                        new KafkaOptions(
                                "a:1,b:2",
                                "in",
                                "out",
                                "dead",
                                "g",
                                options.clientProperties(),
                                true,
                                DeliveryGuarantee.AT_LEAST_ONCE,
                                "tx"));
        assertThat(options.clientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void bootstrapServersFallBackToTheEnvironment() {
        KafkaOptions options =
                KAFKA.from(
                        PARSER.parse(new String[0], Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092")));
        assertThat(options.bootstrapServers()).isEqualTo("env:9092");

        KafkaOptions explicit =
                KAFKA.from(
                        PARSER.parse(
                                new String[] {"--bootstrap-servers", "cli:9092"},
                                Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092")));
        assertThat(explicit.bootstrapServers()).isEqualTo("cli:9092");
    }

    @Test
    void durationsUseFlinkNotation() {
        ParsedOptions parsed =
                PARSER.parse(
                        new String[] {"--bootstrap-servers", "k:1", "--window", "500 ms"},
                        Map.of());
        assertThat(parsed.get(WINDOW)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void everyProblemIsOneClearLine() {
        assertUsageError(
                new String[] {},
                "demo: missing required option --bootstrap-servers (or environment variable KAFKA_BOOTSTRAP_SERVERS)");
        assertUsageError(
                new String[] {"--bootstrap-servers", "k:1", "--nope"},
                "demo: unknown option --nope (see --help)");
        assertUsageError(
                new String[] {"--bootstrap-servers", "k:1", "stray"},
                "demo: unexpected argument 'stray' (see --help)");
        assertUsageError(
                new String[] {"--bootstrap-servers"},
                "demo: option --bootstrap-servers needs a value");
        assertUsageError(
                new String[] {"--bootstrap-servers", "k:1", "--delivery-guarantee", "twice"},
                "demo: invalid value 'twice' for --delivery-guarantee: expected one of exactly-once|at-least-once|none");
        assertUsageError(
                new String[] {"--bootstrap-servers", "k:1", "--window", "soon"},
                "demo: invalid value 'soon' for --window: ");
        assertUsageError(
                new String[] {
                    "--bootstrap-servers", "k:1", "--input-topic", "a", "--input-topic", "b"
                },
                "demo: option --input-topic given twice");
    }

    @Test
    void unreadablePropertiesFileFailsAtParseTime() {
        assertThatThrownBy(
                        () ->
                                kafka(
                                        "--bootstrap-servers",
                                        "k:1",
                                        "--kafka-properties",
                                        "/no/such/file"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith(
                        "cannot read --kafka-properties /no/such/file: NoSuchFileException");
    }

    @Test
    void aMisspeltKafkaSettingFailsAtParseTimeNotAtTheFirstLogin(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file, "security.protocol=SASL_SSL\nsasl.jass.config=x\nsasl.mech=PLAIN\n");

        assertThatThrownBy(
                        () -> kafka("--bootstrap-servers", "k:1", "--kafka-properties", "" + file))
                .isInstanceOf(UsageException.class)
                .hasMessage(
                        "--kafka-properties "
                                + file
                                + ": not a Kafka client setting: sasl.jass.config, sasl.mech");
    }

    @Test
    void anInvalidKafkaSettingValueFailsAtParseTime(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_TLS\n");

        assertThatThrownBy(
                        () -> kafka("--bootstrap-servers", "k:1", "--kafka-properties", "" + file))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--kafka-properties " + file + ": ")
                .hasMessageContaining("security.protocol")
                .hasMessageContaining("SASL_TLS");
    }

    @Test
    void flinksKafkaSourceSettingsAreAccepted(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file, "partition.discovery.interval.ms=60000\nclient.id.prefix=wc\nlinger.ms=5\n");

        assertThat(
                        kafka("--bootstrap-servers", "k:1", "--kafka-properties", "" + file)
                                .clientProperties())
                .containsEntry("partition.discovery.interval.ms", "60000")
                .containsEntry("linger.ms", "5");
    }

    @Test
    void helpCarriesTheUsage() {
        assertThatThrownBy(() -> PARSER.parse(new String[] {"--help"}, Map.of()))
                .isInstanceOf(HelpRequested.class)
                .satisfies(
                        e ->
                                assertThat(((HelpRequested) e).usage())
                                        .startsWith("Usage: demo [options]")
                                        .contains("--bootstrap-servers HOST:PORT[,...]")
                                        .contains("Env: KAFKA_BOOTSTRAP_SERVERS.")
                                        .contains(
                                                "--delivery-guarantee exactly-once|at-least-once|none")
                                        .contains("Default: exactly-once.")
                                        .contains("--window DURATION")
                                        .contains("Default: 5 s."));
    }

    private static void assertUsageError(String[] args, String messagePrefix) {
        assertThatThrownBy(() -> PARSER.parse(args, Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith(messagePrefix)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
