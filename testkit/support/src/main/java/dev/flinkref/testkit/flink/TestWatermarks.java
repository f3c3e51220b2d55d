package dev.flinkref.testkit.flink;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Watermark strategies that make event-time tests deterministic. */
public final class TestWatermarks {
    private TestWatermarks() {}

    /**
     * A watermark right behind every record. With a single channel end to end (parallelism 1),
     * which record is late and when a timer fires no longer depends on periodic emission timing.
     */
    public static <T> WatermarkStrategy<T> afterEveryRecord(
            SerializableTimestampAssigner<T> timestamps) {
        return WatermarkStrategy.<T>forGenerator(
                        context ->
                                new WatermarkGenerator<>() {
                                    @Override
                                    public void onEvent(
                                            T record, long timestamp, WatermarkOutput output) {
                                        output.emitWatermark(new Watermark(timestamp - 1));
                                    }

                                    @Override
                                    public void onPeriodicEmit(WatermarkOutput output) {}
                                })
                .withTimestampAssigner(timestamps);
    }
}
