package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.deadletter.DeadLetter;
import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.testkit.flink.Collected;
import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.flink.TestWatermarks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topology on a MiniCluster with bounded input, no Kafka. */
class WordCountTopologyTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(1, 2);

    private static final long T0 = 1_700_000_000_000L; // a multiple of 5 s

    private static final WordCountOptions OPTIONS =
            WordCountOptions.parse("--bootstrap-servers", "unused:9092");

    @Test
    void countsEveryWordPerWindowExactly() throws Exception {
        List<TimedLine> lines = TimedLine.generate(7, 2_000, T0, 13);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);

        WordCountTopology.Outputs outputs =
                WordCountTopology.build(
                        input(env, records(lines))
                                .assignTimestampsAndWatermarks(
                                        WordCountTopology.watermarks(OPTIONS)),
                        OPTIONS);

        assertThat(Collected.executeAndCollect(outputs.counts()))
                .containsExactlyInAnyOrderElementsOf(
                        TimedLine.expectedCounts(lines, OPTIONS.windowSize()));
    }

    @Test
    void fixedExample() throws Exception {
        List<TimedLine> lines =
                List.of(
                        new TimedLine(T0, "To be, or not to be"),
                        new TimedLine(T0 + 4_999, "BE café"),
                        new TimedLine(T0 + 5_000, "café CAFÉ 東京"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        WordCountTopology.Outputs outputs =
                WordCountTopology.build(
                        input(env, records(lines))
                                .assignTimestampsAndWatermarks(
                                        WordCountTopology.watermarks(OPTIONS)),
                        OPTIONS);

        long end = T0 + 5_000;
        assertThat(Collected.executeAndCollect(outputs.counts()))
                .containsExactlyInAnyOrder(
                        new WordCount("to", 2, T0, end),
                        new WordCount("be", 3, T0, end),
                        new WordCount("or", 1, T0, end),
                        new WordCount("not", 1, T0, end),
                        new WordCount("café", 1, T0, end),
                        new WordCount("café", 2, end, end + 5_000),
                        new WordCount("東京", 1, end, end + 5_000));
    }

    @Test
    void invalidUtf8GoesToDeadLettersAndTheRestIsStillCounted() throws Exception {
        List<KafkaInputRecord> records = new ArrayList<>();
        records.add(TimedLine.of(T0, "good words"));
        records.add(
                new KafkaInputRecord(
                        "lines",
                        1,
                        17,
                        T0 + 1,
                        "k".getBytes(StandardCharsets.UTF_8),
                        new byte[] {'b', 'a', 'd', (byte) 0xc3, '(', ' '}));
        records.add(TimedLine.of(T0 + 2, "good"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        WordCountTopology.Outputs outputs =
                WordCountTopology.build(
                        input(env, records)
                                .assignTimestampsAndWatermarks(
                                        WordCountTopology.watermarks(OPTIONS)),
                        OPTIONS);
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        CloseableIterator<WordCount> counts = outputs.counts().collectAsync();
        env.execute();

        List<DeadLetter> letters = Collected.drain(deadLetters);
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0);
        assertThat(letter.sourceTopic).isEqualTo("lines");
        assertThat(letter.sourcePartition).isEqualTo(1);
        assertThat(letter.sourceOffset).isEqualTo(17);
        assertThat(letter.key).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(letter.value).isEqualTo(new byte[] {'b', 'a', 'd', (byte) 0xc3, '(', ' '});
        assertThat(letter.errorClass)
                .isEqualTo("dev.flinkref.common.deadletter.MalformedRecordException");
        assertThat(letter.errorMessage)
                .isEqualTo("value is not valid UTF-8: malformed byte sequence at offset 3");
        assertThat(Collected.drain(counts))
                .containsExactlyInAnyOrder(
                        new WordCount("good", 2, T0, T0 + 5_000),
                        new WordCount("words", 1, T0, T0 + 5_000));
    }

    @Test
    void recordsLaterThanTheAllowedLatenessAreSeparatedNotCounted() throws Exception {
        // One channel end to end and a watermark after every record: which record is late is
        // then deterministic.
        List<KafkaInputRecord> records =
                List.of(
                        TimedLine.of(T0, "early"),
                        TimedLine.of(T0 + 7_000, "later"),
                        TimedLine.of(T0 + 1_000, "tardy"),
                        TimedLine.of(T0 + 7_001, "later"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);

        WordCountTopology.Outputs outputs =
                WordCountTopology.build(
                        input(env, records)
                                .assignTimestampsAndWatermarks(
                                        TestWatermarks.afterEveryRecord(
                                                (KafkaInputRecord record, long previous) ->
                                                        record.timestamp)),
                        OPTIONS);
        CloseableIterator<String> late = outputs.lateWords().collectAsync();
        CloseableIterator<WordCount> counts = outputs.counts().collectAsync();
        env.execute();

        assertThat(Collected.drain(late)).containsExactly("tardy");
        assertThat(Collected.drain(counts))
                .containsExactlyInAnyOrder(
                        new WordCount("early", 1, T0, T0 + 5_000),
                        new WordCount("later", 2, T0 + 5_000, T0 + 10_000));
    }

    private static List<KafkaInputRecord> records(List<TimedLine> lines) {
        return lines.stream().map(TimedLine::toRecord).toList();
    }

    private static DataStream<KafkaInputRecord> input(
            StreamExecutionEnvironment env, List<KafkaInputRecord> records) {
        return env.fromData(records, TypeInformation.of(KafkaInputRecord.class));
    }
}
