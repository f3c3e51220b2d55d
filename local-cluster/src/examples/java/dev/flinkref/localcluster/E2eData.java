package dev.flinkref.localcluster;

import dev.flinkref.statemachine.Alert;
import dev.flinkref.statemachine.AlertJson;
import dev.flinkref.statemachine.Event;
import dev.flinkref.statemachine.InputFormat;
import dev.flinkref.statemachine.generator.EventEncoding;
import dev.flinkref.statemachine.generator.EventSequence;
import dev.flinkref.wordcount.Tokenizer;
import dev.flinkref.wordcount.WordCount;
import dev.flinkref.wordcount.WordCountJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Inputs for the end-to-end tests and the exact outputs the jobs must produce for them. */
public final class E2eData {
    private E2eData() {}

    /** Generated state-machine events (keyed by address) and the alerts they must raise. */
    public record Events(List<ProducerRecord<byte[], byte[]>> records, List<String> expectedAlerts) {}

    public static Events events(String topic, long seed, int count, long start) {
        EventSequence sequence = new EventSequence(seed, 2_000, 0.002);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        List<String> alerts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EventSequence.Step step = sequence.next(start + i);
            Event event = step.event();
            records.add(
                    new ProducerRecord<>(
                            topic,
                            null,
                            event.timestamp,
                            EventEncoding.key(event),
                            EventEncoding.encode(event, InputFormat.JSON)));
            Alert alert = step.expectedAlert();
            if (alert != null) {
                alerts.add(AlertJson.encode(alert));
            }
        }
        return new Events(records, alerts);
    }

    private static final String[] WORDS = {
        "flink", "kafka", "Café", "東京", "state", "window", "exactly", "once", "2026", "naïve"
    };

    /** Lines over 4 partitions, each partition in timestamp order, and the counts they give. */
    public record Lines(List<ProducerRecord<byte[], byte[]>> records, List<String> expectedCounts) {}

    public static Lines lines(String topic, int count, long start, long stepMillis, long windowMillis) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        Map<String, Map<Long, Long>> counts = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String text = WORDS[i % WORDS.length] + " " + WORDS[(i * 7 + 3) % WORDS.length];
            long timestamp = start + i * stepMillis;
            records.add(
                    new ProducerRecord<>(
                            topic, i % 4, timestamp, null, text.getBytes(StandardCharsets.UTF_8)));
            long windowStart = timestamp - Math.floorMod(timestamp, windowMillis);
            for (String word : Tokenizer.tokenize(text)) {
                counts.computeIfAbsent(word, w -> new HashMap<>())
                        .merge(windowStart, 1L, Long::sum);
            }
        }
        List<String> expected = new ArrayList<>();
        counts.forEach(
                (word, windows) ->
                        windows.forEach(
                                (windowStart, n) ->
                                        expected.add(
                                                WordCountJson.encode(
                                                        new WordCount(
                                                                word,
                                                                n,
                                                                windowStart,
                                                                windowStart + windowMillis)))));
        return new Lines(records, expected);
    }

    /**
     * One line per partition far later than the data: the watermark passes every window of the
     * data, so all of them fire; the lines' own windows never do.
     */
    public static List<ProducerRecord<byte[], byte[]>> flush(
            String topic, int partitions, long timestamp) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            records.add(
                    new ProducerRecord<>(
                            topic,
                            partition,
                            timestamp,
                            null,
                            "zzflush".getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }
}
