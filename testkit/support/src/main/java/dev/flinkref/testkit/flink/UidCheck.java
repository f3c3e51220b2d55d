package dev.flinkref.testkit.flink;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.SideOutputTransformation;
import org.apache.flink.streaming.api.transformations.UnionTransformation;

/**
 * Fails when an operator of a job has no explicit {@code uid}.
 *
 * <p>Rule: every physical transformation (sources, sinks, every operator; not the virtual
 * partition, side-output and union nodes) has an explicit uid. Without one Flink derives the
 * operator id from the graph's shape, so an unrelated change (a new operator upstream) breaks
 * restoring state from savepoints: "Cannot map checkpoint/savepoint state for operator". Stateless
 * operators are included because making one stateful later must not change its id.
 */
public final class UidCheck {
    private UidCheck() {}

    public static void assertEveryOperatorHasAUid(StreamExecutionEnvironment env) {
        List<String> missing =
                Transformations.of(env).stream()
                        .filter(UidCheck::isPhysical)
                        .filter(t -> t.getUid() == null || t.getUid().isBlank())
                        .map(t -> "'" + t.getName() + "' (" + t.getClass().getSimpleName() + ")")
                        .sorted()
                        .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new AssertionError(
                    "operators without an explicit uid (add .uid(...)): "
                            + String.join(", ", missing));
        }
    }

    private static boolean isPhysical(Transformation<?> transformation) {
        return !(transformation instanceof PartitionTransformation
                || transformation instanceof SideOutputTransformation
                || transformation instanceof UnionTransformation);
    }
}
