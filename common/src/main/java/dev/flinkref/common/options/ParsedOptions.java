package dev.flinkref.common.options;

import java.util.Map;
import java.util.Optional;

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

    /** The value of an option that is required or has a default. */
    public <T> T get(Option<T> option) {
        return find(option)
                .orElseThrow(
                        () -> new IllegalStateException("--" + option.name() + " has no value"));
    }
}
