package dev.flinkref.wordcount;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Counts words that arrived after their window was final ({@code lateRecords}), so lateness is
 * visible on a dashboard instead of silently shrinking counts. The window's late output carries
 * partial counts ({@link PreAggregateWords}); each stands for that many words, so the metric adds
 * the count and the word goes out once per occurrence, as without pre-aggregation.
 */
final class CountLateWords extends RichFlatMapFunction<PartialCount, String> {
    private transient Counter lateRecords;

    @Override
    public void open(OpenContext openContext) {
        lateRecords = getRuntimeContext().getMetricGroup().counter("lateRecords");
    }

    @Override
    public void flatMap(PartialCount late, Collector<String> out) {
        lateRecords.inc(late.count);
        for (long i = 0; i < late.count; i++) {
            out.collect(late.word);
        }
    }
}
