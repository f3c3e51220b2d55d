package dev.flinkref.testkit.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.CloseableIterator;

/** A bounded job's output as a list, for exact assertions. */
public final class Collected {
    private Collected() {}

    /** Runs the job that {@code stream} belongs to and returns everything it emitted. */
    public static <T> List<T> executeAndCollect(DataStream<T> stream) throws Exception {
        return drain(stream.executeAndCollect());
    }

    /**
     * Everything an iterator from {@code collectAsync()} yields once the job has run; closes it.
     */
    public static <T> List<T> drain(CloseableIterator<T> iterator) throws Exception {
        try (iterator) {
            List<T> items = new ArrayList<>();
            iterator.forEachRemaining(items::add);
            return items;
        }
    }
}
