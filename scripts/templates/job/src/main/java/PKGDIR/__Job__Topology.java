package dev.flinkref.__pkg__;

import dev.flinkref.common.deadletter.DeadLetter;
import dev.flinkref.common.deadletter.DecodeOrDeadLetter;
import dev.flinkref.common.kafka.KafkaInputRecord;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The __job__ dataflow, independent of Kafka: records in, running counts and dead letters out.
 * Tests feed it directly; {@link __Job__Job} wires it to Kafka. Replace it with your own logic,
 * keeping a stable uid and a name on every operator.
 *
 * <pre>
 * records -> decode the key (UTF-8 text) --(dead letters)-->
 *         -> keyBy key -> count (keyed state) -> running counts
 * </pre>
 */
public final class __Job__Topology {
    /** The outputs of the topology. */
    public record Outputs(DataStream<KeyCount> counts, DataStream<DeadLetter> deadLetters) {}

    private __Job__Topology() {}

    public static Outputs build(DataStream<KafkaInputRecord> records) {
        SingleOutputStreamOperator<String> keys =
                records.process(new DecodeOrDeadLetter<>(new KeyDecoder(), "eventsIn"))
                        .returns(Types.STRING)
                        .uid("decode-keys")
                        .name("Decode keys");

        DataStream<KeyCount> counts =
                keys.keyBy(key -> key, Types.STRING)
                        .process(new CountPerKey())
                        .uid("count-per-key")
                        .name("Count per key");

        return new Outputs(counts, keys.getSideOutput(DecodeOrDeadLetter.DEAD_LETTERS));
    }
}
