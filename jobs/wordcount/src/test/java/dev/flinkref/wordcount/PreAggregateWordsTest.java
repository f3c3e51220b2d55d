package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The pre-aggregator alone, fed by Flink's operator test harness. */
class PreAggregateWordsTest {
    private static final long SIZE = 5_000;

    private static OneInputStreamOperatorTestHarness<String, PartialCount> harness(int maxEntries)
            throws Exception {
        OneInputStreamOperatorTestHarness<String, PartialCount> harness =
                new OneInputStreamOperatorTestHarness<>(new PreAggregateWords(SIZE, maxEntries));
        harness.open();
        return harness;
    }

    /** Output as strings: "word=count@timestamp" for records, "W@t" for watermarks. */
    private static List<String> output(OneInputStreamOperatorTestHarness<String, PartialCount> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add(r.getValue() + "@" + r.getTimestamp());
            } else if (o instanceof Watermark w) {
                out.add("W@" + w.getTimestamp());
            } else if (o instanceof WatermarkStatus s) {
                out.add(s.isIdle() ? "IDLE" : "ACTIVE");
            }
        }
        h.getOutput().clear();
        return out;
    }

    @Test
    void emitsExactPartialsBeforeTheWatermarkThatFiresTheirWindow() throws Exception {
        var h = harness(1_000);
        h.processElement("a", 100);
        h.processElement("b", 200);
        h.processElement("a", 4_999);
        h.processElement("a", 5_000); // next window
        h.processWatermark(4_998); // window 0 not yet complete
        assertThat(output(h)).containsExactly("W@4998");
        h.processWatermark(4_999);
        assertThat(output(h)).containsExactlyInAnyOrder("a=2@4999", "b=1@4999", "W@4999");
        assertThat(h.getOutput()).isEmpty();
        h.processWatermark(Long.MAX_VALUE);
        assertThat(output(h)).containsExactly("a=1@9999", "W@" + Long.MAX_VALUE);
    }

    @Test
    void theWatermarkComesAfterThePartials() throws Exception {
        var h = harness(1_000);
        h.processElement("a", 1);
        h.processWatermark(10_000);
        assertThat(output(h)).containsExactly("a=1@4999", "W@10000");
    }

    @Test
    void wordsLateInThisSubtaskGoOnAtOnceWithTheirOwnTimestamp() throws Exception {
        var h = harness(1_000);
        h.processWatermark(6_000);
        output(h);
        h.processElement("tardy", 1_234); // window [0, 5000) already passed here
        assertThat(output(h)).containsExactly("tardy=1@1234");
        h.processElement("fine", 6_500); // window [5000, 10000) still open
        assertThat(output(h)).isEmpty();
    }

    @Test
    void nothingIsHeldAcrossACheckpoint() throws Exception {
        var h = harness(1_000);
        h.processElement("a", 1);
        h.processElement("a", 2);
        h.prepareSnapshotPreBarrier(1);
        assertThat(output(h)).containsExactly("a=2@4999");
        // The operator keeps no state: a snapshot of it is empty.
        assertThat(h.snapshot(1, 1).getManagedOperatorState()).isEmpty();
        h.processElement("a", 3);
        h.processWatermark(4_999);
        assertThat(output(h)).containsExactly("a=1@4999", "W@4999");
    }

    @Test
    void goingIdleEmitsEverythingFirst() throws Exception {
        var h = harness(1_000);
        h.processElement("a", 1);
        h.processWatermarkStatus(WatermarkStatus.IDLE);
        assertThat(output(h)).containsExactly("a=1@4999", "IDLE");
    }

    @Test
    void endOfInputEmitsEverything() throws Exception {
        var h = harness(1_000);
        h.processElement("a", 1);
        h.processElement("b", 7_000);
        h.endInput();
        assertThat(output(h)).containsExactlyInAnyOrder("a=1@4999", "b=1@9999");
    }

    @Test
    void memoryIsBoundedAndCountsStayExact() throws Exception {
        var h = harness(2);
        long total = 0;
        for (int i = 0; i < 1_000; i++) {
            h.processElement("w" + (i % 10), i);
        }
        h.processWatermark(Long.MAX_VALUE);
        java.util.Map<String, Long> sums = new java.util.TreeMap<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof PartialCount p) {
                sums.merge(p.word, p.count, Long::sum);
                total += p.count;
                assertThat(r.getTimestamp()).isEqualTo(4_999);
            }
        }
        assertThat(total).isEqualTo(1_000);
        assertThat(sums).hasSize(10).allSatisfy((w, c) -> assertThat(c).isEqualTo(100));
    }
}
