package dev.flinkref.__pkg__;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.testkit.flink.Collected;
import dev.flinkref.testkit.flink.MiniClusters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topology on a MiniCluster with bounded input, no Kafka. */
class __Job__TopologyTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(1, 2);

    @Test
    void everyEventGetsItsKeysRunningCountAndBadRecordsAreDeadLettered() throws Exception {
        List<KafkaInputRecord> records = new ArrayList<>();
        List<KeyCount> expected = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String key = "key-" + i % 7;
            records.add(record(key.getBytes(StandardCharsets.UTF_8)));
            expected.add(new KeyCount(key, i / 7 + 1));
        }
        records.add(record(new byte[] {(byte) 0xff}));
        records.add(record(" ".getBytes(StandardCharsets.UTF_8)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);

        __Job__Topology.Outputs outputs =
                __Job__Topology.build(
                        env.fromData(records, TypeInformation.of(KafkaInputRecord.class)));
        DataStream<String> reasons = outputs.deadLetters().map(letter -> letter.errorMessage).returns(Types.STRING);

        assertThat(Collected.executeAndCollect(outputs.counts()))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Collected.executeAndCollect(reasons))
                .containsExactlyInAnyOrder("value is not valid UTF-8", "value is blank");
    }

    private static KafkaInputRecord record(byte[] value) {
        return KafkaInputRecord.of(0L, null, value);
    }
}
