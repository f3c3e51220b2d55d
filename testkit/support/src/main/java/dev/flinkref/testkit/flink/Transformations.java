package dev.flinkref.testkit.flink;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Every transformation of a job as defined on an environment, before execution. */
final class Transformations {
    private Transformations() {}

    static Set<Transformation<?>> of(StreamExecutionEnvironment env) {
        Set<Transformation<?>> seen = new LinkedHashSet<>();
        Deque<Transformation<?>> todo = new ArrayDeque<>(env.getTransformations());
        while (!todo.isEmpty()) {
            Transformation<?> transformation = todo.pop();
            if (seen.add(transformation)) {
                todo.addAll(transformation.getInputs());
            }
        }
        return seen;
    }
}
