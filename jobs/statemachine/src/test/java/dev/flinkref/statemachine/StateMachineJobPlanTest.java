package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.testkit.flink.KryoCheck;
import dev.flinkref.testkit.flink.UidCheck;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.EnumTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The whole job as main defines it, Kafka included, checked before anything runs. */
class StateMachineJobPlanTest {
    private static StreamExecutionEnvironment defined() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        StateMachineJob.define(
                env, StateMachineOptions.parse("--bootstrap-servers", "127.0.0.1:9"));
        return env;
    }

    @Test
    void everyOperatorHasAStableUid() {
        UidCheck.assertEveryOperatorHasAUid(defined());
    }

    @Test
    void noStreamTypeFallsBackToKryo() {
        KryoCheck.assertNoGenericTypes(defined());
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
