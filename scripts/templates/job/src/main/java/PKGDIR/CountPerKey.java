package dev.flinkref.__pkg__;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The running count of each key, in keyed state: it lives in RocksDB, is checkpointed with every
 * checkpoint and survives restarts, upgrades and rescaling from a savepoint. The state's name
 * ({@code count}) and the operator's uid are what a savepoint maps it by: keep both when you
 * change the code.
 *
 * <p>Metrics: {@code countsOut}.
 */
final class CountPerKey extends KeyedProcessFunction<String, String, KeyCount> {
    /** Long: Flink's own serializer, so the state can be read and migrated without Kryo. */
    static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Types.LONG);

    private transient ValueState<Long> count;
    private transient Counter countsOut;

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getState(COUNT);
        countsOut = getRuntimeContext().getMetricGroup().counter("countsOut");
    }

    @Override
    public void processElement(String key, Context ctx, Collector<KeyCount> out)
            throws Exception {
        Long previous = count.value();
        long next = previous == null ? 1 : previous + 1;
        count.update(next);
        countsOut.inc();
        out.collect(new KeyCount(key, next));
    }
}
