package dev.flinkref.wordcount;

import java.util.Objects;

/** The count of one word in one window. A Flink POJO. */
public class WordCount {
    public String word;
    public long count;

    /** Window start, inclusive, epoch millis. */
    public long windowStart;

    /** Window end, exclusive, epoch millis. */
    public long windowEnd;

    public WordCount() {}

    public WordCount(String word, long count, long windowStart, long windowEnd) {
        this.word = word;
        this.count = count;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WordCount that
                && count == that.count
                && windowStart == that.windowStart
                && windowEnd == that.windowEnd
                && Objects.equals(word, that.word);
    }

    @Override
    public int hashCode() {
        return Objects.hash(word, count, windowStart, windowEnd);
    }

    @Override
    public String toString() {
        return WordCountJson.encode(this);
    }
}
