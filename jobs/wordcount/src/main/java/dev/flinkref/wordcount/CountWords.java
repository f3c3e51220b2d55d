package dev.flinkref.wordcount;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Pre-aggregates in the window: its state is one long per word and window, not every word seen. */
final class CountWords implements AggregateFunction<String, Long, Long> {
    @Override
    public Long createAccumulator() {
        return 0L;
    }

    @Override
    public Long add(String word, Long count) {
        return count + 1;
    }

    @Override
    public Long getResult(Long count) {
        return count;
    }

    @Override
    public Long merge(Long a, Long b) {
        return a + b;
    }
}
