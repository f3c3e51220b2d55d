package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.statemachine.generator.EventEncoding;
import dev.flinkref.testkit.flink.JobMetrics;
import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.flink.TestWatermarks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every metric the job documents, with exact values for a known input. */
class StateMachineMetricsTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withMetricsIn(REPORTER);

    private static final long T0 = 1_700_000_000_000L;

    /** The same metric names and values from both implementations. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Implementation.class)
    void countsEventsAlertsDeadLettersExpiriesAndLiveMachines(Implementation implementation)
            throws Exception {
        List<KafkaInputRecord> records =
                List.of(
                        json(T0, "10.0.0.1", "a"), // new machine
                        json(T0 + 1, "10.0.0.2", "c"), // new machine
                        KafkaInputRecord.of(
                                T0 + 2, null, "garbage".getBytes(StandardCharsets.UTF_8)),
                        json(T0 + 3, "10.0.0.2", "d"),
                        json(T0 + 4, "10.0.0.2", "g"), // Terminal: machine ends
                        json(T0 + 5, "10.0.0.3", "b"), // alert, no machine
                        json(T0 + 30_000, "10.0.0.4", "a")); // 10.0.0.1 expires
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StateMachineTopology.Outputs outputs =
                StateMachineTopology.build(
                        env.fromData(records, TypeInformation.of(KafkaInputRecord.class))
                                .assignTimestampsAndWatermarks(
                                        TestWatermarks.afterEveryRecord(
                                                (KafkaInputRecord record, long previous) ->
                                                        record.timestamp)),
                        StateMachineOptions.parse(
                                "--bootstrap-servers",
                                "unused:9",
                                "--state-ttl",
                                "10s",
                                "--implementation",
                                implementation.name().toLowerCase(java.util.Locale.ROOT)));
        outputs.alerts().sinkTo(new DiscardingSink<>()).name("alerts");
        outputs.deadLetters().sinkTo(new DiscardingSink<>()).name("dead letters");

        JobClient job = env.executeAsync();
        job.getJobExecutionResult().get();
        JobID jobId = job.getJobID();

        assertThat(JobMetrics.sum(REPORTER, jobId, "eventsIn")).isEqualTo(6);
        assertThat(JobMetrics.sum(REPORTER, jobId, "deadLetters")).isEqualTo(1);
        assertThat(JobMetrics.sum(REPORTER, jobId, "alertsOut")).isEqualTo(1);
        // 10.0.0.1 when event time passed its TTL; 10.0.0.4 stays live: the end of the input
        // expires nothing.
        assertThat(JobMetrics.sum(REPORTER, jobId, "expiredMachines")).isEqualTo(1);
        assertThat(JobMetrics.sum(REPORTER, jobId, "liveMachines")).isEqualTo(1);
    }

    private static KafkaInputRecord json(long timestamp, String address, String type) {
        Event event = new Event(Ipv4.parse(address), EventType.ofLetter(type), timestamp);
        return KafkaInputRecord.of(
                timestamp, EventEncoding.key(event), EventEncoding.encode(event, InputFormat.JSON));
    }
}
