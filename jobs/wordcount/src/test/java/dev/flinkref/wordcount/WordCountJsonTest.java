package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WordCountJsonTest {
    @Test
    void encodesTheDocumentedFormat() {
        WordCount count = new WordCount("flink", 3, 1_700_000_000_000L, 1_700_000_005_000L);

        assertThat(WordCountJson.encode(count))
                .isEqualTo(
                        "{\"word\":\"flink\",\"count\":3,\"window_start\":1700000000000,"
                                + "\"window_end\":1700000005000}");
        assertThat(new String(WordCountJson.key(count), StandardCharsets.UTF_8)).isEqualTo("flink");
    }

    @Test
    void nonAsciiWordsAreUtf8() {
        WordCount count = new WordCount("東京", 1, 0, 5000);

        assertThat(WordCountJson.key(count)).isEqualTo("東京".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(WordCountJson.value(count), StandardCharsets.UTF_8))
                .isEqualTo("{\"word\":\"東京\",\"count\":1,\"window_start\":0,\"window_end\":5000}");
    }
}
