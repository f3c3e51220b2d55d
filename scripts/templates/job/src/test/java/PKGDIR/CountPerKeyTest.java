package dev.flinkref.__pkg__;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The counting operator alone, in Flink's test harness: state survives a snapshot and restore. */
class CountPerKeyTest {
    @Test
    void countsPerKeyAndContinuesFromARestoredSnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, String, KeyCount> harness = harness()) {
            harness.open();
            harness.processElement(new StreamRecord<>("a"));
            harness.processElement(new StreamRecord<>("b"));
            harness.processElement(new StreamRecord<>("a"));
            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            new KeyCount("a", 1), new KeyCount("b", 1), new KeyCount("a", 2));
            snapshot = harness.snapshot(1L, 1L);
        }

        try (KeyedOneInputStreamOperatorTestHarness<String, String, KeyCount> restored =
                harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(new StreamRecord<>("a"));
            restored.processElement(new StreamRecord<>("c"));
            assertThat(restored.extractOutputValues())
                    .isEqualTo(List.of(new KeyCount("a", 3), new KeyCount("c", 1)));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, KeyCount> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CountPerKey()), key -> key, Types.STRING);
    }
}
