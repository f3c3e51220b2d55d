package dev.flinkref.wordcount;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/** Lines to words ({@link Tokenizer}); counts the words in the {@code wordsOut} metric. */
final class TokenizeLines extends RichFlatMapFunction<String, String> {
    private transient Counter wordsOut;

    @Override
    public void open(OpenContext openContext) {
        wordsOut = getRuntimeContext().getMetricGroup().counter("wordsOut");
    }

    @Override
    public void flatMap(String line, Collector<String> out) {
        Tokenizer.tokenize(
                line,
                word -> {
                    wordsOut.inc();
                    out.collect(word);
                });
    }
}
