package dev.flinkref.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void escapesWhatJsonRequires() {
        assertThat(JsonText.quote("plain")).isEqualTo("\"plain\"");
        assertThat(JsonText.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(JsonText.quote("tab\tnew\nline\r")).isEqualTo("\"tab\\tnew\\nline\\r\"");
        assertThat(JsonText.quote("\u0001")).isEqualTo("\"\\u0001\"");
        assertThat(JsonText.quote("東京 café")).isEqualTo("\"東京 café\"");
    }
}
