package dev.flinkref.testkit.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Fails when a stream type of a job falls back to Kryo ({@link GenericTypeInfo}), anywhere inside
 * it. Kryo-serialized state cannot evolve its schema and is slow. For state types, run the job with
 * {@code pipeline.generic-types: false} as well: Flink then refuses Kryo at runtime.
 */
public final class KryoCheck {
    private KryoCheck() {}

    public static void assertNoGenericTypes(StreamExecutionEnvironment env) {
        Set<String> generic = new TreeSet<>();
        Transformations.of(env)
                .forEach(
                        t -> {
                            List<String> found = new ArrayList<>();
                            collectGeneric(t.getOutputType(), found);
                            found.forEach(
                                    type -> generic.add("'" + t.getName() + "' emits " + type));
                        });
        if (!generic.isEmpty()) {
            throw new AssertionError(
                    "types serialized with Kryo (give them TypeInformation or make them POJOs): "
                            + String.join("; ", generic));
        }
    }

    private static void collectGeneric(TypeInformation<?> type, List<String> found) {
        if (type instanceof GenericTypeInfo<?> generic) {
            found.add(generic.getTypeClass().getName());
        } else if (type instanceof CompositeType<?> composite) {
            for (int i = 0; i < composite.getArity(); i++) {
                collectGeneric(composite.getTypeAt(i), found);
            }
        }
    }
}
