package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.testkit.flink.KryoCheck;
import dev.flinkref.testkit.flink.UidCheck;
import java.util.Locale;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.EnumTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole job as main defines it, Kafka included, checked before anything runs. */
class StateMachineJobPlanTest {
    private static StreamExecutionEnvironment defined() {
        return defined(Implementation.OPTIMIZED);
    }

    private static StreamExecutionEnvironment defined(Implementation implementation) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        StateMachineJob.define(
                env,
                StateMachineOptions.parse(
                        "--bootstrap-servers",
                        "127.0.0.1:9",
                        "--implementation",
                        implementation.name().toLowerCase(Locale.ROOT)));
        return env;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Implementation.class)
    void everyOperatorHasAStableUid(Implementation implementation) {
        UidCheck.assertEveryOperatorHasAUid(defined(implementation));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Implementation.class)
    void noStreamTypeFallsBackToKryo(Implementation implementation) {
        KryoCheck.assertNoGenericTypes(defined(implementation));
    }

    /** Same uid and name either way, so that a savepoint finds its state in both. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Implementation.class)
    void theOptionSelectsTheStateMachineUnderTheSameUid(Implementation implementation) {
        StreamNode node =
                defined(implementation).getStreamGraph().getStreamNodes().stream()
                        .filter(n -> "state-machine".equals(n.getTransformationUID()))
                        .findFirst()
                        .orElseThrow();
        assertThat(node.getOperatorName()).isEqualTo("State machine per address");
        Object operator = ((SimpleOperatorFactory<?>) node.getOperatorFactory()).getOperator();
        if (implementation == Implementation.OPTIMIZED) {
            assertThat(operator).isInstanceOf(StateMachineOperator.class);
        } else {
            assertThat(((KeyedProcessOperator<?, ?, ?>) operator).getUserFunction())
                    .isInstanceOf(StateMachineFunction.class);
        }
    }

    /**
     * The keyed state's type is a POJO whose fields Flink serializes itself (the enum with its
     * EnumSerializer): its schema can evolve across savepoints, which Kryo's cannot.
     */
    @Test
    void chainedOperatorsShareRecordsInsteadOfCopyingThem() {
        assertThat(defined().getConfig().isObjectReuseEnabled()).isTrue();
    }

    @Test
    void theStateTypeIsAPojoWithAnEnumField() {
        TypeInformation<MachineState> type = TypeInformation.of(MachineState.class);

        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<MachineState> pojo = (PojoTypeInfo<MachineState>) type;
        assertThat(pojo.getTypeAt(pojo.getFieldIndex("state"))).isInstanceOf(EnumTypeInfo.class);
        TypeSerializer<MachineState> serializer = type.createSerializer(new SerializerConfigImpl());
        assertThat(serializer).isInstanceOf(PojoSerializer.class);
    }

    @Test
    void theJobGraphCanBeBuilt() {
        defined().getStreamGraph();
    }
}
