package dev.flinkref.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Word-count lines sent at a fixed rate to a running job, event time = produce time, round-robin
 * over the partitions; keeps what the job must output and when each line was produced.
 */
final class PacedLines {
    private final Loader loader;
    private final String topic;
    private final int partitions;
    private final int linesPerSecond;
    private final WordCountInput.Lines lines;
    private final Map<String, Long> expected = new HashMap<>();
    private final TreeMap<Long, Long> linesPerWindow = new TreeMap<>();
    private final List<Long> producedAt = new ArrayList<>();
    private long start;

    PacedLines(Loader loader, String topic, int partitions, int linesPerSecond, long seed) {
        this.loader = loader;
        this.topic = topic;
        this.partitions = partitions;
        this.linesPerSecond = linesPerSecond;
        this.lines = new WordCountInput.Lines(seed);
    }

    /** Sends what is due by now since the first call; call it every few milliseconds. */
    void sendDue() {
        long now = System.currentTimeMillis();
        if (start == 0) {
            start = now;
        }
        long due = (now - start) * linesPerSecond / 1000;
        while (producedAt.size() < due) {
            String text = lines.next();
            WordCountInput.count(expected, now, text);
            linesPerWindow.merge(window(now), 1L, Long::sum);
            loader.send(
                    topic,
                    producedAt.size() % partitions,
                    now,
                    null,
                    text.getBytes(StandardCharsets.UTF_8));
            producedAt.add(now);
        }
    }

    /** Closes the last windows (see {@link WordCountInput#sentinelLine()}) and flushes. */
    void finish() {
        long sentinelTime = System.currentTimeMillis() + WordCountInput.SENTINEL_GAP_MILLIS;
        for (int p = 0; p < partitions; p++) {
            loader.send(topic, p, sentinelTime, null, WordCountInput.sentinelLine());
        }
        loader.flush();
    }

    static long window(long timestamp) {
        return timestamp - Math.floorMod(timestamp, WordCountInput.WINDOW_MILLIS);
    }

    Map<String, Long> expected() {
        return expected;
    }

    TreeMap<Long, Long> linesPerWindow() {
        return linesPerWindow;
    }

    List<Long> producedAt() {
        return producedAt;
    }
}
