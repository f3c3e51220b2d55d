package dev.flinkref.common.deadletter;

import dev.flinkref.common.kafka.KafkaInputRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes each record; what fails to decode leaves through the {@link #DEAD_LETTERS} side output
 * and is counted, so bad data neither fails the job nor disappears. Stateless.
 *
 * <p>Metrics: {@code <decodedMetric>} (records decoded) and {@code deadLetters}.
 */
public final class DecodeOrDeadLetter<T> extends ProcessFunction<KafkaInputRecord, T> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final RecordDecoder<T> decoder;
    private final String decodedMetric;
    private transient Counter decoded;
    private transient Counter deadLetters;

    public DecodeOrDeadLetter(RecordDecoder<T> decoder, String decodedMetric) {
        this.decoder = decoder;
        this.decodedMetric = decodedMetric;
    }

    @Override
    public void open(OpenContext openContext) {
        decoded = getRuntimeContext().getMetricGroup().counter(decodedMetric);
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(KafkaInputRecord record, Context ctx, Collector<T> out) {
        T value;
        try {
            value = decoder.decode(record);
        } catch (Exception e) {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, DeadLetter.of(record, e));
            return;
        }
        decoded.inc();
        out.collect(value);
    }
}
