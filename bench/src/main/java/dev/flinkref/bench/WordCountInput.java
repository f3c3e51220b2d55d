package dev.flinkref.bench;

import dev.flinkref.wordcount.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The word-count input: {@code lines} lines of 8 words from a 1000-word vocabulary (Zipf-like, some
 * non-ASCII), event times spread evenly over {@code spanMillis}, round-robin over the partitions;
 * and the exact counts per (window, word) it must produce, computed with the job's own tokenizer.
 *
 * <p>A bounded Flink job closes its last windows at the end of its input. Kafka Streams has no end
 * of input: {@link #appendSentinels} then adds one line per partition of {@code zzsentinel} words,
 * {@link #SENTINEL_GAP_MILLIS} after the data, to advance its stream time past the last window.
 * Sentinel windows are not part of the expected output.
 */
final class WordCountInput {
    static final long WINDOW_MILLIS = 5_000;

    /** Past the Kafka Streams peer's grace, so its last data windows close too. */
    static final long SENTINEL_GAP_MILLIS = KafkaStreamsWordCount.GRACE.toMillis() + 60_000;

    private static final String SENTINEL = "zzsentinel";
    private static final String[] STEMS = {
        "stream", "state", "flink", "kafka", "window", "event", "time", "käse", "straße", "日本",
        "naïve", "count", "token", "river", "cloud", "delta"
    };
    private static final ObjectMapper JSON = new ObjectMapper();

    final long lines;
    final long words;
    final long spanMillis;
    final long firstTimestamp;
    final int partitions;
    final long inputBytes;

    /** Sum of the CRC-32 of every record value: equal sums, equal multisets (in practice). */
    final long valueChecksum;

    private final Map<String, Long> expected;

    private WordCountInput(
            long lines,
            long words,
            long spanMillis,
            long firstTimestamp,
            int partitions,
            long inputBytes,
            long valueChecksum,
            Map<String, Long> expected) {
        this.lines = lines;
        this.words = words;
        this.spanMillis = spanMillis;
        this.firstTimestamp = firstTimestamp;
        this.partitions = partitions;
        this.inputBytes = inputBytes;
        this.valueChecksum = valueChecksum;
        this.expected = expected;
    }

    static List<String> vocabulary() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            words.add(STEMS[i % STEMS.length] + (i / STEMS.length));
        }
        return words;
    }

    /**
     * Writes the input to {@code topic} and returns what a correct job must output; the first lines
     * also go to {@code payloads}, one per line, for Kafka's producer perf tool.
     */
    static WordCountInput load(
            Loader loader,
            String topic,
            int partitions,
            long lines,
            long spanMillis,
            long seed,
            Path payloads)
            throws IOException {
        // Event time ends 10 minutes ago: within the broker's timestamp bounds, windows aligned.
        long first =
                (System.currentTimeMillis() - spanMillis - 600_000) / WINDOW_MILLIS * WINDOW_MILLIS;
        return write(loader, topic, partitions, lines, spanMillis, seed, first, payloads);
    }

    /** The same records again, into another topic (a peer that needs its own copy). */
    void copyTo(Loader loader, String topic, long seed) throws IOException {
        write(
                loader,
                topic,
                partitions,
                lines,
                spanMillis,
                seed,
                firstTimestamp,
                Path.of("/dev/null"));
    }

    private static WordCountInput write(
            Loader loader,
            String topic,
            int partitions,
            long lines,
            long spanMillis,
            long seed,
            long first,
            Path payloads)
            throws IOException {
        Lines generator = new Lines(seed);
        Map<String, Long> expected = new HashMap<>();
        long words = 0;
        long bytes = 0;
        long checksum = 0;
        List<String> samples = new ArrayList<>();
        for (long i = 0; i < lines; i++) {
            long timestamp = first + i * spanMillis / lines;
            String text = generator.next();
            words += count(expected, timestamp, text);
            byte[] value = text.getBytes(StandardCharsets.UTF_8);
            bytes += value.length;
            checksum += crc(value);
            if (samples.size() < 100_000) {
                samples.add(text);
            }
            loader.send(topic, (int) (i % partitions), timestamp, null, value);
        }
        Files.write(payloads, samples);
        loader.flush();
        return new WordCountInput(
                lines, words, spanMillis, first, partitions, bytes, checksum, expected);
    }

    /** Words that close every window before them, and are not counted themselves. */
    static byte[] sentinelLine() {
        StringBuilder sentinel = new StringBuilder();
        for (int w = 0; w < 32; w++) {
            sentinel.append(SENTINEL).append(w).append(' ');
        }
        return sentinel.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Adds a line's words to the expected counts of its window; returns how many. */
    static int count(Map<String, Long> expected, long timestamp, String text) {
        long windowStart = timestamp - Math.floorMod(timestamp, WINDOW_MILLIS);
        List<String> words = Tokenizer.tokenize(text);
        for (String word : words) {
            expected.merge(windowStart + " " + word, 1L, Long::sum);
        }
        return words.size();
    }

    /** Deterministic lines: 8 words each, Zipf-like, some punctuation and capitals. */
    static final class Lines {
        private final List<String> vocabulary = vocabulary();
        private final SplittableRandom random;
        private final StringBuilder line = new StringBuilder();
        private long index;

        Lines(long seed) {
            random = new SplittableRandom(seed);
        }

        String next() {
            line.setLength(0);
            for (int w = 0; w < 8; w++) {
                // Squaring a uniform draw favours low indexes: a few frequent words, a long tail.
                double u = random.nextDouble();
                line.append(w == 0 ? "" : " ").append(vocabulary.get((int) (u * u * 1000)));
            }
            if (index++ % 100 == 0) {
                line.append(", Hello-World!"); // punctuation and case, for the tokenizer
            }
            return line.toString();
        }
    }

    /** Checks output against counts the caller accumulated (sentinel windows aside). */
    static void verify(List<CommittedWatcher.Seen> output, Map<String, Long> expected) {
        Map<String, Long> actual = new HashMap<>();
        int duplicates = 0;
        for (CommittedWatcher.Seen record : output) {
            JsonNode json = readJson(record.value());
            String word = json.path("word").asText();
            if (word.startsWith(SENTINEL)) {
                continue;
            }
            String key = json.path("window_start").asLong() + " " + word;
            if (actual.put(key, json.path("count").asLong()) != null) {
                duplicates++;
            }
        }
        if (duplicates > 0 || !actual.equals(expected)) {
            long missing = expected.keySet().stream().filter(k -> !actual.containsKey(k)).count();
            long wrong =
                    expected.entrySet().stream()
                            .filter(e -> actual.containsKey(e.getKey()))
                            .filter(e -> !actual.get(e.getKey()).equals(e.getValue()))
                            .count();
            String examples =
                    expected.entrySet().stream()
                            .filter(e -> !e.getValue().equals(actual.get(e.getKey())))
                            .limit(3)
                            .map(
                                    e ->
                                            e.getKey()
                                                    + " expected "
                                                    + e.getValue()
                                                    + ", got "
                                                    + actual.get(e.getKey()))
                            .collect(java.util.stream.Collectors.joining("; "));
            throw new IllegalStateException(
                    "word counts not exact ("
                            + examples
                            + "): "
                            + duplicates
                            + " duplicated, "
                            + missing
                            + " missing, "
                            + wrong
                            + " wrong of "
                            + expected.size());
        }
    }

    /**
     * Closes the last windows for a consumer without end of input. Only once it has consumed all
     * lines: a sentinel read while another partition still has lines in flight would make them
     * late.
     */
    void appendSentinels(Loader loader, String topic) {
        for (int p = 0; p < partitions; p++) {
            loader.send(
                    topic,
                    p,
                    firstTimestamp + spanMillis + SENTINEL_GAP_MILLIS,
                    null,
                    sentinelLine());
        }
        loader.flush();
    }

    /** Records in the topic. */
    long records() {
        return lines;
    }

    static long crc(byte[] value) {
        CRC32 crc = new CRC32();
        crc.update(value);
        return crc.getValue();
    }

    /** A copy of the topic: every record exactly once, in any order. */
    void verifyCopy(List<CommittedWatcher.Seen> output) {
        long checksum = output.stream().mapToLong(seen -> crc(seen.value())).sum();
        if (output.size() != records() || checksum != valueChecksum) {
            throw new IllegalStateException(
                    "copy not exact: "
                            + output.size()
                            + " records of "
                            + records()
                            + (checksum == valueChecksum ? "" : ", checksums differ"));
        }
    }

    /** Output records a correct run produces (sentinel windows aside). */
    int expectedRecords() {
        return expected.size();
    }

    /** Every output count must match: none missing, none extra, none twice. */
    void verify(List<CommittedWatcher.Seen> output) {
        verify(output, expected);
    }

    /** The window start of an output record. */
    static long windowStart(byte[] value) {
        return readJson(value).path("window_start").asLong();
    }

    /** By the record key (the word), without parsing the value. */
    static boolean isSentinel(CommittedWatcher.Seen record) {
        return record.key() != null
                && new String(record.key(), StandardCharsets.UTF_8).startsWith(SENTINEL);
    }

    static JsonNode readJson(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable output record", e);
        }
    }
}
