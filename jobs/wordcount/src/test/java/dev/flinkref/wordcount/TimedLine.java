package dev.flinkref.wordcount;

import dev.flinkref.common.kafka.KafkaInputRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A line of input with its event time, and what word count must make of a list of them. */
record TimedLine(long timestamp, String text) {
    private static final String[] VOCABULARY = {
        "flink", "kafka", "stream", "state", "window", "exactly", "once", "Café", "naïve", "東京",
        "Москва", "ωmega", "2026", "x²", "don't", "e\u0301clair", "Über", "straße", "ÆRØ", "data"
    };

    static KafkaInputRecord of(long timestamp, String text) {
        return new TimedLine(timestamp, text).toRecord();
    }

    KafkaInputRecord toRecord() {
        return KafkaInputRecord.of(timestamp, null, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Counts per word and window, computed without Flink. */
    static List<WordCount> expectedCounts(List<TimedLine> lines, Duration windowSize) {
        long size = windowSize.toMillis();
        Map<String, Map<Long, Long>> counts = new HashMap<>();
        for (TimedLine line : lines) {
            long start = line.timestamp - Math.floorMod(line.timestamp, size);
            for (String word : Tokenizer.tokenize(line.text)) {
                counts.computeIfAbsent(word, w -> new HashMap<>()).merge(start, 1L, Long::sum);
            }
        }
        List<WordCount> expected = new ArrayList<>();
        counts.forEach(
                (word, windows) ->
                        windows.forEach(
                                (start, count) ->
                                        expected.add(
                                                new WordCount(word, count, start, start + size))));
        return expected;
    }

    /**
     * {@code count} lines of 1 to 12 words from a small multilingual vocabulary, timestamps rising
     * by {@code stepMillis} from {@code start}. Seeded: the same arguments give the same lines.
     */
    static List<TimedLine> generate(long seed, int count, long start, long stepMillis) {
        Random random = new Random(seed);
        List<TimedLine> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int words = 1 + random.nextInt(12);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < words; w++) {
                if (w > 0) {
                    text.append(random.nextBoolean() ? " " : ", ");
                }
                text.append(VOCABULARY[random.nextInt(VOCABULARY.length)]);
            }
            lines.add(new TimedLine(start + i * stepMillis, text.toString()));
        }
        return lines;
    }
}
