package dev.flinkref.statemachine;

import java.util.Locale;

/** The event types {@code a} to {@code g}; the ordinal is the binary wire code (a=0 .. g=6). */
public enum EventType {
    A,
    B,
    C,
    D,
    E,
    F,
    G;

    private static final EventType[] BY_CODE = values();

    /** The letter used in JSON: {@code "a"} to {@code "g"}. */
    public String letter() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int code() {
        return ordinal();
    }

    /** The type for a code, or null when there is none. */
    public static EventType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The type for a letter, or null when there is none. */
    public static EventType ofLetter(String letter) {
        if (letter.length() != 1) {
            return null;
        }
        return ofCode(letter.charAt(0) - 'a');
    }
}
