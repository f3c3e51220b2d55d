package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.testkit.flink.JobMetrics;
import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.flink.TestWatermarks;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every metric the job documents, with exact values for a known input. */
class WordCountMetricsTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withMetricsIn(REPORTER);

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void countsLinesWordsResultsDeadLettersAndLateRecords() throws Exception {
        List<KafkaInputRecord> records =
                List.of(
                        TimedLine.of(T0, "one two two"), // window 1: one=1, two=2
                        KafkaInputRecord.of(T0 + 1, null, new byte[] {(byte) 0xff}), // dead letter
                        TimedLine.of(T0 + 7_000, "three"), // window 2 (fires window 1)
                        TimedLine.of(T0 + 1_000, "late late"), // window 1 is final: 2 late words
                        TimedLine.of(T0 + 7_001, "three four")); // window 2: three=2, four=1
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        WordCountTopology.Outputs outputs =
                WordCountTopology.build(
                        env.fromData(records, TypeInformation.of(KafkaInputRecord.class))
                                .assignTimestampsAndWatermarks(
                                        TestWatermarks.afterEveryRecord(
                                                (KafkaInputRecord record, long previous) ->
                                                        record.timestamp)),
                        WordCountOptions.parse("--bootstrap-servers", "unused:9"));
        outputs.counts().sinkTo(new DiscardingSink<>()).name("counts");
        outputs.deadLetters().sinkTo(new DiscardingSink<>()).name("dead letters");
        outputs.lateWords().sinkTo(new DiscardingSink<>()).name("late words");

        JobClient job = env.executeAsync();
        job.getJobExecutionResult().get();
        JobID jobId = job.getJobID();

        assertThat(JobMetrics.sum(REPORTER, jobId, "linesIn")).isEqualTo(4);
        assertThat(JobMetrics.sum(REPORTER, jobId, "deadLetters")).isEqualTo(1);
        assertThat(JobMetrics.sum(REPORTER, jobId, "wordsOut")).isEqualTo(8);
        assertThat(JobMetrics.sum(REPORTER, jobId, "countsOut")).isEqualTo(4);
        assertThat(JobMetrics.sum(REPORTER, jobId, "lateRecords")).isEqualTo(2);
    }
}
