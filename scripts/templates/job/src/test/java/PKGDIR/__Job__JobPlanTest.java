package dev.flinkref.__pkg__;

import dev.flinkref.testkit.flink.KryoCheck;
import dev.flinkref.testkit.flink.UidCheck;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The whole job as main defines it, Kafka included, checked before anything runs. */
class __Job__JobPlanTest {
    private static StreamExecutionEnvironment defined() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        __Job__Job.define(env, __Job__Options.parse("--bootstrap-servers", "127.0.0.1:9"));
        return env;
    }

    @Test
    void everyOperatorHasAStableUid() {
        UidCheck.assertEveryOperatorHasAUid(defined());
    }

    @Test
    void noTypeFallsBackToKryo() {
        KryoCheck.assertNoGenericTypes(defined());
    }
}
