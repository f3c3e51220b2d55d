package dev.flinkref.wordcount;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Sums the partial counts ({@link PreAggregateWords}) in the window: its state is one long per word
 * and window, not every word seen. The accumulator is the same {@code Long} as when the window
 * still counted single words, so its state stays savepoint-compatible.
 */
final class CountWords implements AggregateFunction<PartialCount, Long, Long> {
    @Override
    public Long createAccumulator() {
        return 0L;
    }

    @Override
    public Long add(PartialCount partial, Long count) {
        return count + partial.count;
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
