package dev.flinkref.wordcount;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Attaches word and window bounds to a window's count; counts results in {@code countsOut}. */
final class EmitWindowCount extends ProcessWindowFunction<Long, WordCount, String, TimeWindow> {
    private transient Counter countsOut;

    @Override
    public void open(OpenContext openContext) {
        countsOut = getRuntimeContext().getMetricGroup().counter("countsOut");
    }

    @Override
    public void process(
            String word, Context context, Iterable<Long> counts, Collector<WordCount> out) {
        long count = counts.iterator().next();
        TimeWindow window = context.window();
        countsOut.inc();
        out.collect(new WordCount(word, count, window.getStart(), window.getEnd()));
    }
}
