package dev.flinkref.testkit.prometheus;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus duration strings ({@code 1h30m}, {@code 15s}, {@code 500ms}), read and written: for
 * the local stack's time-scaled rules and for the rule tests' evaluation times.
 */
public final class PrometheusDurations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)");

    private PrometheusDurations() {}

    public static Duration parse(String text) {
        Matcher matcher = PART.matcher(text.trim());
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() != end) {
                break;
            }
            long n = Long.parseLong(matcher.group(1));
            total =
                    total.plus(
                            switch (matcher.group(2)) {
                                case "ms" -> Duration.ofMillis(n);
                                case "s" -> Duration.ofSeconds(n);
                                case "m" -> Duration.ofMinutes(n);
                                case "h" -> Duration.ofHours(n);
                                case "d" -> Duration.ofDays(n);
                                case "w" -> Duration.ofDays(7 * n);
                                default -> Duration.ofDays(365 * n);
                            });
            end = matcher.end();
        }
        if (end == 0 || end != text.trim().length()) {
            throw new IllegalArgumentException("not a Prometheus duration: '" + text + "'");
        }
        return total;
    }

    /** Whole seconds when exact, else milliseconds: both are valid in rules and configuration. */
    public static String format(Duration duration) {
        long millis = Math.max(1, duration.toMillis());
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    public static String divide(String text, int factor) {
        return format(parse(text).dividedBy(factor));
    }
}
