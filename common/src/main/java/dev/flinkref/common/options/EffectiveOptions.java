package dev.flinkref.common.options;

import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;

/**
 * A job's options after parsing, defaults and environment included, as its global job parameters:
 * the Web UI (Job / Configuration) and the REST API ({@code GET /jobs/<id>/config}) then show what
 * a running job was really told, not only the arguments a manifest passed.
 */
public final class EffectiveOptions extends ExecutionConfig.GlobalJobParameters {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> values;

    private EffectiveOptions(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Parses {@code args} with {@code parser}; fails as the job's own parse would. */
    public static EffectiveOptions of(OptionParser parser, String... args) {
        return new EffectiveOptions(parser.parse(args).asText());
    }

    @Override
    public Map<String, String> toMap() {
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EffectiveOptions that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
