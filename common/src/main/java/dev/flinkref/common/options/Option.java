package dev.flinkref.common.options;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.util.TimeUtils;

/**
 * One command-line option: {@code --name value} (or {@code --name=value}), or a flag.
 *
 * <p>Immutable; the {@code with*} methods return copies, so a job can declare its options as
 * constants.
 *
 * @param <T> the parsed value type
 */
public final class Option<T> {
    private final String name;
    private final String valueName;
    private final String help;
    private final Function<String, T> parser;
    private final T defaultValue;
    private final String envVariable;
    private final boolean required;
    private final boolean flag;

    private Option(
            String name,
            String valueName,
            String help,
            Function<String, T> parser,
            T defaultValue,
            String envVariable,
            boolean required,
            boolean flag) {
        this.name = name;
        this.valueName = valueName;
        this.help = help;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.envVariable = envVariable;
        this.required = required;
        this.flag = flag;
    }

    public static Option<String> string(String name, String valueName, String help) {
        return new Option<>(name, valueName, help, requireNonBlank(name), null, null, false, false);
    }

    /** An option with its own parser; what the parser throws becomes the usage message. */
    public static <T> Option<T> of(
            String name, String valueName, String help, Function<String, T> parser) {
        return new Option<>(name, valueName, help, parser, null, null, false, false);
    }

    public static Option<Boolean> flag(String name, String help) {
        return new Option<>(name, null, help, Boolean::parseBoolean, false, null, false, true);
    }

    /** A duration in Flink's notation: {@code 5s}, {@code 500 ms}, {@code 1h}. */
    public static Option<Duration> duration(String name, String help) {
        return new Option<>(
                name, "DURATION", help, Option::parseDuration, null, null, false, false);
    }

    public static Option<Integer> positiveInt(String name, String valueName, String help) {
        return new Option<>(
                name, valueName, help, Option::parsePositiveInt, null, null, false, false);
    }

    /** One of an enum's constants, written in lower case with dashes ({@code AT_LEAST_ONCE}). */
    public static <E extends Enum<E>> Option<E> choice(String name, Class<E> type, String help) {
        String choices =
                Arrays.stream(type.getEnumConstants())
                        .map(Option::spelling)
                        .collect(Collectors.joining("|"));
        return new Option<>(
                name,
                choices,
                help,
                value -> parseChoice(type, choices, value),
                null,
                null,
                false,
                false);
    }

    public Option<T> withDefault(T value) {
        return new Option<>(name, valueName, help, parser, value, envVariable, required, flag);
    }

    /** Falls back to an environment variable, as a Kubernetes pod spec would set it. */
    public Option<T> withEnvFallback(String variable) {
        return new Option<>(name, valueName, help, parser, defaultValue, variable, required, flag);
    }

    public Option<T> required() {
        return new Option<>(name, valueName, help, parser, defaultValue, envVariable, true, flag);
    }

    public String name() {
        return name;
    }

    boolean isFlag() {
        return flag;
    }

    boolean isRequired() {
        return required;
    }

    T defaultValue() {
        return defaultValue;
    }

    String envVariable() {
        return envVariable;
    }

    T parse(String raw) {
        return parser.apply(raw);
    }

    String usageLine() {
        StringBuilder line = new StringBuilder("  --").append(name);
        if (!flag) {
            line.append(' ').append(valueName);
        }
        line.append(System.lineSeparator()).append("      ").append(help);
        if (required) {
            line.append(" Required.");
        }
        if (envVariable != null) {
            line.append(" Env: ").append(envVariable).append('.');
        }
        if (defaultValue != null && !flag) {
            line.append(" Default: ").append(describe(defaultValue)).append('.');
        }
        return line.toString();
    }

    static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String describe(Object value) {
        if (value instanceof Enum<?> constant) {
            return spelling(constant);
        }
        if (value instanceof Duration duration) {
            return TimeUtils.formatWithHighestUnit(duration);
        }
        return value.toString();
    }

    private static Function<String, String> requireNonBlank(String name) {
        return value -> {
            if (value.isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return value;
        };
    }

    private static Duration parseDuration(String value) {
        Duration duration = TimeUtils.parseDuration(value);
        if (duration.isNegative()) {
            throw new IllegalArgumentException("must not be negative");
        }
        return duration;
    }

    private static Integer parsePositiveInt(String value) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (parsed <= 0) {
            throw new IllegalArgumentException("must be positive");
        }
        return parsed;
    }

    private static <E extends Enum<E>> E parseChoice(Class<E> type, String choices, String value) {
        for (E constant : type.getEnumConstants()) {
            if (spelling(constant).equals(value.trim().toLowerCase(Locale.ROOT))) {
                return constant;
            }
        }
        throw new IllegalArgumentException("expected one of " + choices);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Option<?> that && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }
}
