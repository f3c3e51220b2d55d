package dev.flinkref.__pkg__;

import dev.flinkref.common.json.JsonText;
import java.util.Objects;

/**
 * How many events of {@code key} the job has seen so far. A Flink POJO (public fields, no-arg
 * constructor): serialized by Flink's PojoSerializer, never by Kryo.
 */
public class KeyCount {
    public String key;
    public long count;

    public KeyCount() {}

    public KeyCount(String key, long count) {
        this.key = key;
        this.count = count;
    }

    /** The output record's value: {@code {"key":"k","count":3}}. */
    public String toJson() {
        return "{\"key\":" + JsonText.quote(key) + ",\"count\":" + count + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyCount that && count == that.count && Objects.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, count);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
