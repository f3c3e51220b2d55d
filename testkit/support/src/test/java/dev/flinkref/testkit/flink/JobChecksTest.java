package dev.flinkref.testkit.flink;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

class JobChecksTest {
    @Test
    void uidCheckNamesOperatorsWithoutUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        env.fromSequence(1, 10)
                .uid("source")
                .keyBy(n -> n % 2, Types.LONG)
                .reduce(Long::sum)
                .name("sum")
                .sinkTo(new DiscardingSink<>())
                .uid("sink");

        assertThatThrownBy(() -> UidCheck.assertEveryOperatorHasAUid(env))
                .isInstanceOf(AssertionError.class)
                .hasMessage(
                        "operators without an explicit uid (add .uid(...)): 'sum' (ReduceTransformation)");
    }

    @Test
    void uidCheckPassesWhenEveryOperatorHasOne() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        env.fromSequence(1, 10)
                .uid("source")
                .keyBy(n -> n % 2, Types.LONG)
                .reduce(Long::sum)
                .uid("sum")
                .sinkTo(new DiscardingSink<>())
                .uid("sink");

        assertThatCode(() -> UidCheck.assertEveryOperatorHasAUid(env)).doesNotThrowAnyException();
    }

    static final class Opaque {
        final Object anything;

        Opaque(Object anything) {
            this.anything = anything;
        }
    }

    @Test
    void kryoCheckFindsGenericTypes() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        env.fromSequence(1, 10).map(Opaque::new).name("wrap").sinkTo(new DiscardingSink<>());

        assertThatThrownBy(() -> KryoCheck.assertNoGenericTypes(env))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'wrap' emits " + Opaque.class.getName());
    }

    @Test
    void kryoCheckAcceptsFlinkTypes() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        env.fromSequence(1, 10).map(String::valueOf).sinkTo(new DiscardingSink<>());

        assertThatCode(() -> KryoCheck.assertNoGenericTypes(env)).doesNotThrowAnyException();
    }
}
