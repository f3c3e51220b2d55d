package dev.flinkref.wordcount;

import java.util.Objects;

/**
 * How often one word occurred in one subtask within one window: what {@link PreAggregateWords}
 * sends to the window instead of every single word. The window is implied by the record's
 * timestamp. A Flink POJO.
 */
public class PartialCount {
    public String word;
    public long count;

    public PartialCount() {}

    public PartialCount(String word, long count) {
        this.word = word;
        this.count = count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartialCount that
                && count == that.count
                && Objects.equals(word, that.word);
    }

    @Override
    public int hashCode() {
        return Objects.hash(word, count);
    }

    @Override
    public String toString() {
        return word + "=" + count;
    }
}
