package dev.flinkref.common.options;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The values of one parse; absent when an option without default was not given. */
public final class ParsedOptions {
    private final Map<Option<?>, Object> values;

    ParsedOptions(Map<Option<?>, Object> values) {
        this.values = Map.copyOf(values);
    }

    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(Option<T> option) {
        return Optional.ofNullable((T) values.get(option));
    }

    /**
     * Every option with a value, as {@code --name} to its value's text, sorted by name; what {@link
     * EffectiveOptions} shows in the Web UI. Only what was parsed: the contents of files an option
     * names (credentials in {@code --kafka-properties}) are not in it.
     */
    public Map<String, String> asText() {
        Map<String, String> text = new TreeMap<>();
        values.forEach((option, value) -> text.put("--" + option.name(), Option.describe(value)));
        return text;
    }

    /** The value of an option that is required or has a default. */
    public <T> T get(Option<T> option) {
        return find(option)
                .orElseThrow(
                        () -> new IllegalStateException("--" + option.name() + " has no value"));
    }
}
