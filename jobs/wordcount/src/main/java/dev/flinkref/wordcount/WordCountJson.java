package dev.flinkref.wordcount;

import dev.flinkref.common.json.JsonText;
import java.nio.charset.StandardCharsets;

/**
 * The output value: {@code {"word":"flink","count":3,"window_start":1700000000000,
 * "window_end":1700000005000}} (epoch millis, end exclusive). The record key is the word, UTF-8.
 */
public final class WordCountJson {
    private WordCountJson() {}

    public static String encode(WordCount count) {
        return "{\"word\":"
                + JsonText.quote(count.word)
                + ",\"count\":"
                + count.count
                + ",\"window_start\":"
                + count.windowStart
                + ",\"window_end\":"
                + count.windowEnd
                + "}";
    }

    static byte[] value(WordCount count) {
        return encode(count).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] key(WordCount count) {
        return count.word.getBytes(StandardCharsets.UTF_8);
    }
}
