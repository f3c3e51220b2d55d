package dev.flinkref.wordcount;

import dev.flinkref.common.deadletter.DeadLetter;
import dev.flinkref.common.deadletter.DecodeOrDeadLetter;
import dev.flinkref.common.kafka.KafkaInputRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The word-count dataflow, independent of Kafka: records in, counts, dead letters and late words
 * out. Tests feed it directly; {@link WordCountJob} wires it to Kafka.
 *
 * <pre>
 * records -> decode UTF-8 --(dead letters)-->
 *         -> tokenize -> pre-aggregate (partial counts per word and window, in the subtask)
 *         -> keyBy word -> tumbling event-time window (sum) -> counts
 *                                            \--(late partial counts)--> late words
 * </pre>
 */
public final class WordCountTopology {
    static final OutputTag<PartialCount> LATE_WORDS =
            new OutputTag<>("late-words", TypeInformation.of(PartialCount.class));

    /** Words one pre-aggregating subtask holds at most before it emits early. */
    static final int PRE_AGGREGATE_MAX_WORDS = 100_000;

    /** The three outputs of the topology. */
    public record Outputs(
            DataStream<WordCount> counts,
            DataStream<DeadLetter> deadLetters,
            DataStream<String> lateWords) {}

    private WordCountTopology() {}

    /**
     * Event time is the Kafka record timestamp. Used on the Kafka source, where watermarks are
     * tracked per partition, so one partition's lag does not make another's records late.
     */
    public static WatermarkStrategy<KafkaInputRecord> watermarks(WordCountOptions options) {
        WatermarkStrategy<KafkaInputRecord> strategy =
                WatermarkStrategy.<KafkaInputRecord>forBoundedOutOfOrderness(
                                options.maxOutOfOrderness())
                        .withTimestampAssigner((record, previous) -> record.timestamp);
        return options.idleness().isZero() ? strategy : strategy.withIdleness(options.idleness());
    }

    /** {@code records} must carry timestamps and watermarks ({@link #watermarks}). */
    public static Outputs build(DataStream<KafkaInputRecord> records, WordCountOptions options) {
        SingleOutputStreamOperator<String> lines =
                records.process(new DecodeOrDeadLetter<>(new Utf8LineDecoder(), "linesIn"))
                        .returns(Types.STRING)
                        .uid("decode-lines")
                        .name("Decode UTF-8 lines");

        SingleOutputStreamOperator<WordCount> counts =
                lines.flatMap(new TokenizeLines())
                        .uid("tokenize")
                        .name("Tokenize")
                        .transform(
                                "Pre-aggregate words per "
                                        + options.windowSize().toMillis()
                                        + " ms window",
                                TypeInformation.of(PartialCount.class),
                                new PreAggregateWords(
                                        options.windowSize().toMillis(), PRE_AGGREGATE_MAX_WORDS))
                        .uid("pre-aggregate")
                        .keyBy(partial -> partial.word, Types.STRING)
                        .window(TumblingEventTimeWindows.of(options.windowSize()))
                        .allowedLateness(options.allowedLateness())
                        .sideOutputLateData(LATE_WORDS)
                        .aggregate(new CountWords(), new EmitWindowCount())
                        .uid("window-count")
                        .name("Count words per " + options.windowSize().toMillis() + " ms window");

        DataStream<String> lateWords =
                counts.getSideOutput(LATE_WORDS)
                        .flatMap(new CountLateWords())
                        .returns(Types.STRING)
                        .uid("late-words")
                        .name("Count late words");

        return new Outputs(counts, lines.getSideOutput(DecodeOrDeadLetter.DEAD_LETTERS), lateWords);
    }
}
