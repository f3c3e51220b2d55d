package dev.flinkref.wordcount;

import dev.flinkref.testkit.flink.KryoCheck;
import dev.flinkref.testkit.flink.UidCheck;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The whole job as main defines it, Kafka included, checked before anything runs. */
class WordCountJobPlanTest {
    private static StreamExecutionEnvironment defined(String... extraArgs) {
        String[] args = new String[extraArgs.length + 2];
        args[0] = "--bootstrap-servers";
        args[1] = "127.0.0.1:9";
        System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        WordCountJob.define(env, WordCountOptions.parse(args));
        return env;
    }

    @Test
    void everyOperatorHasAStableUid() {
        UidCheck.assertEveryOperatorHasAUid(defined("--late-topic", "late"));
    }

    @Test
    void noTypeFallsBackToKryo() {
        KryoCheck.assertNoGenericTypes(defined("--late-topic", "late"));
    }

    @Test
    void theJobGraphCanBeBuilt() {
        // Type extraction, serializer checks and the sink expansion happen here, not in define().
        defined().getStreamGraph();
    }
}
