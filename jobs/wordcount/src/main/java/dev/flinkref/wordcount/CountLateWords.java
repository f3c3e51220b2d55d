package dev.flinkref.wordcount;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Counts words that arrived after their window was final ({@code lateRecords}), so lateness is
 * visible on a dashboard instead of silently shrinking counts.
 */
final class CountLateWords extends RichMapFunction<String, String> {
    private transient Counter lateRecords;

    @Override
    public void open(OpenContext openContext) {
        lateRecords = getRuntimeContext().getMetricGroup().counter("lateRecords");
    }

    @Override
    public String map(String word) {
        lateRecords.inc();
        return word;
    }
}
