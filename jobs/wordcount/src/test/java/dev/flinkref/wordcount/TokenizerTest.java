package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenizerTest {
    @Test
    void asciiWordsAreLowerCased() {
        assertThat(Tokenizer.tokenize("To be, or NOT to be"))
                .containsExactly("to", "be", "or", "not", "to", "be");
    }

    @Test
    void accentedLettersStayInTheWord() {
        assertThat(Tokenizer.tokenize("Café naïve Ærø")).containsExactly("café", "naïve", "ærø");
    }

    @Test
    void combiningMarksStayInTheWord() {
        // "e" followed by U+0301 COMBINING ACUTE ACCENT: one word, not "caf" and "e".
        assertThat(Tokenizer.tokenize("cafe\u0301 ok")).containsExactly("cafe\u0301", "ok");
    }

    @Test
    void cjkAndOtherScriptsAreLetters() {
        assertThat(Tokenizer.tokenize("東京 Москва ΩMEGA")).containsExactly("東京", "москва", "ωmega");
    }

    @Test
    void decimalDigitsArePartOfWords() {
        assertThat(Tokenizer.tokenize("flink2 2026 ٣٤")).containsExactly("flink2", "2026", "٣٤");
    }

    @Test
    void punctuationSymbolsAndOtherNumbersSeparate() {
        assertThat(Tokenizer.tokenize("don't stop-me ½ x²y a_b 🙂emoji"))
                .containsExactly("don", "t", "stop", "me", "x", "y", "a", "b", "emoji");
    }

    @Test
    void supplementaryLettersAreHandledAsCodePoints() {
        // U+20BB7 is a CJK letter outside the BMP (a surrogate pair in Java strings).
        assertThat(Tokenizer.tokenize("\uD842\uDFB7野家")).containsExactly("\uD842\uDFB7野家");
    }

    @Test
    void emptyAndWhitespaceOnlyLinesHaveNoWords() {
        assertThat(Tokenizer.tokenize("")).isEmpty();
        assertThat(Tokenizer.tokenize(" \t\n\u00a0\u3000 ")).isEmpty();
        assertThat(Tokenizer.tokenize("...!?")).isEmpty();
    }

    @Test
    void rootLocaleLowerCasingIsNotTurkish() {
        assertThat(Tokenizer.tokenize("TITLE")).containsExactly("title");
    }
}
