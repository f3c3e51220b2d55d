package dev.flinkref.wordcount;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Splits text into words: maximal runs of Unicode letters ({@code \p{L}}), combining marks ({@code
 * \p{M}}) and decimal digits ({@code \p{Nd}}), lower-cased with {@link Locale#ROOT}. Everything
 * else separates words. Unlike {@code split("\\W+")}, this keeps "café", "naïve", "東京" and "Ωmega"
 * whole.
 */
public final class Tokenizer {
    private Tokenizer() {}

    public static void tokenize(String text, Consumer<String> words) {
        int start = -1;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            if (isWordPart(codePoint)) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                words.accept(text.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
            i += Character.charCount(codePoint);
        }
        if (start >= 0) {
            words.accept(text.substring(start).toLowerCase(Locale.ROOT));
        }
    }

    public static List<String> tokenize(String text) {
        List<String> words = new ArrayList<>();
        tokenize(text, words::add);
        return words;
    }

    static boolean isWordPart(int codePoint) {
        if (Character.isLetter(codePoint) || Character.isDigit(codePoint)) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
