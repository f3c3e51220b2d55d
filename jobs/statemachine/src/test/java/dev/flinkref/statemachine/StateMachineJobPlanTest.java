package dev.flinkref.statemachine;

import dev.flinkref.testkit.flink.KryoCheck;
import dev.flinkref.testkit.flink.UidCheck;
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

    @Test
    void theJobGraphCanBeBuilt() {
        defined().getStreamGraph();
    }
}
