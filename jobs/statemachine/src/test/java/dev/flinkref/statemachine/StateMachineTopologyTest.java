package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.deadletter.DeadLetter;
import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.statemachine.generator.EventEncoding;
import dev.flinkref.testkit.flink.Collected;
import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.flink.TestWatermarks;
import dev.flinkref.testkit.verify.ExactlyOnceVerifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topology on a MiniCluster with bounded input, no Kafka. */
class StateMachineTopologyTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(1, 2);

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void alertsEqualTheGeneratorsExpectedAlertsJson() throws Exception {
        assertGeneratedAlerts(InputFormat.JSON);
    }

    @Test
    void alertsEqualTheGeneratorsExpectedAlertsBinary() throws Exception {
        assertGeneratedAlerts(InputFormat.BINARY);
    }

    private void assertGeneratedAlerts(InputFormat format) throws Exception {
        GeneratedInput input = GeneratedInput.generate(11, 200, 0.02, 30_000, T0);
        // One source channel, as one Kafka partition: a rebalance between a non-parallel test
        // source and the decoder would reorder an address's events, which Kafka never does (the
        // source and the decoder are chained; the integration test covers parallel partitions).
        StreamExecutionEnvironment env = environment(1);

        StateMachineTopology.Outputs outputs =
                StateMachineTopology.build(
                        source(env, input.records(format), StateMachineTopology.watermarks()),
                        options(
                                "--input-format",
                                format.name().toLowerCase(java.util.Locale.ROOT)));

        List<String> alerts = new ArrayList<>();
        try (CloseableIterator<Alert> iterator = outputs.alerts().executeAndCollect()) {
            iterator.forEachRemaining(alert -> alerts.add(AlertJson.encode(alert)));
        }
        assertThat(input.expectedAlerts()).hasSizeGreaterThan(400);
        ExactlyOnceVerifier.assertExactlyOnce(input.expectedAlertsJson(), alerts);
    }

    @Test
    void undecodableRecordsBecomeDeadLettersAndTheRestStillRuns() throws Exception {
        List<KafkaInputRecord> records = new ArrayList<>();
        records.add(json(T0, "10.0.0.1", "a"));
        records.add(
                KafkaInputRecord.of(
                        T0 + 1,
                        bytes("10.0.0.1"),
                        bytes("{\"address\":\"10.0.0.1\",\"type\":\"z\"}")));
        records.add(KafkaInputRecord.of(T0 + 2, null, bytes("garbage")));
        records.add(json(T0 + 3, "10.0.0.1", "c")); // invalid from W
        StreamExecutionEnvironment env = environment(1);

        StateMachineTopology.Outputs outputs =
                StateMachineTopology.build(
                        source(env, records, StateMachineTopology.watermarks()), options());
        CloseableIterator<Alert> alerts = outputs.alerts().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        env.execute();

        assertThat(Collected.drain(alerts))
                .containsExactly(new Alert(0x0A000001, State.W, EventType.C, T0 + 3));
        assertThat(Collected.drain(deadLetters))
                .extracting(letter -> letter.errorMessage)
                .containsExactlyInAnyOrder(
                        "unknown event type \"z\" (a..g)",
                        "invalid JSON at character 0: expected '{'");
    }

    @Test
    void idleMachinesExpireAfterTheTtl() throws Exception {
        // 10.0.0.1 reaches W, then stays idle for longer than the TTL while 10.0.0.2 moves event
        // time on; its "b" then finds no machine (Initial) and raises an alert. 10.0.0.3 is
        // active within the TTL and keeps its state.
        List<KafkaInputRecord> records =
                List.of(
                        json(T0, "10.0.0.1", "a"),
                        json(T0, "10.0.0.3", "c"),
                        json(T0 + 4_000, "10.0.0.3", "d"),
                        json(T0 + 20_000, "10.0.0.2", "a"),
                        json(T0 + 20_001, "10.0.0.1", "b"),
                        json(T0 + 20_002, "10.0.0.3", "g"));
        StreamExecutionEnvironment env = environment(1);

        StateMachineTopology.Outputs outputs =
                StateMachineTopology.build(
                        source(
                                env,
                                records,
                                TestWatermarks.afterEveryRecord(
                                        (KafkaInputRecord record, long previous) ->
                                                record.timestamp)),
                        options("--state-ttl", "10s"));

        assertThat(Collected.executeAndCollect(outputs.alerts()))
                .containsExactly(
                        new Alert(0x0A000001, State.INITIAL, EventType.B, T0 + 20_001),
                        new Alert(0x0A000003, State.INITIAL, EventType.G, T0 + 20_002));
    }

    @Test
    void withoutExpiryTheSameMachinesContinue() throws Exception {
        List<KafkaInputRecord> records =
                List.of(
                        json(T0, "10.0.0.1", "a"),
                        json(T0 + 20_000, "10.0.0.2", "a"),
                        json(T0 + 20_001, "10.0.0.1", "b"));
        StreamExecutionEnvironment env = environment(1);

        StateMachineTopology.Outputs outputs =
                StateMachineTopology.build(
                        source(
                                env,
                                records,
                                TestWatermarks.afterEveryRecord(
                                        (KafkaInputRecord record, long previous) ->
                                                record.timestamp)),
                        options("--state-ttl", "1h"));

        assertThat(Collected.executeAndCollect(outputs.alerts())).isEmpty();
    }

    /** Kryo is switched off: a state or stream type that needs it fails the job. */
    private static StreamExecutionEnvironment environment(int parallelism) {
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        return env;
    }

    private static StateMachineOptions options(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-servers";
        all[1] = "unused:9092";
        System.arraycopy(args, 0, all, 2, args.length);
        return StateMachineOptions.parse(all);
    }

    private static DataStream<KafkaInputRecord> source(
            StreamExecutionEnvironment env,
            List<KafkaInputRecord> records,
            WatermarkStrategy<KafkaInputRecord> watermarks) {
        return env.fromData(records, TypeInformation.of(KafkaInputRecord.class))
                .assignTimestampsAndWatermarks(watermarks);
    }

    private static KafkaInputRecord json(long timestamp, String address, String type) {
        Event event = new Event(Ipv4.parse(address), EventType.ofLetter(type), timestamp);
        return KafkaInputRecord.of(
                timestamp, EventEncoding.key(event), EventEncoding.encode(event, InputFormat.JSON));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
