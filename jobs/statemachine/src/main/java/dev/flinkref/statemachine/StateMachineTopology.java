package dev.flinkref.statemachine;

import dev.flinkref.common.deadletter.DeadLetter;
import dev.flinkref.common.deadletter.DecodeOrDeadLetter;
import dev.flinkref.common.kafka.KafkaInputRecord;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The state-machine dataflow, independent of Kafka:
 *
 * <pre>
 * records -> decode (json|binary) --(dead letters)-->
 *         -> keyBy address -> state machine (ValueState per address behind a write-back cache, TTL timers) -> alerts
 * </pre>
 */
public final class StateMachineTopology {
    /** Events of one address are in order (one partition); across partitions they may lag. */
    static final Duration MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(1);

    /** A partition without events stops holding back the watermark (and so TTL expiry). */
    static final Duration IDLENESS = Duration.ofSeconds(30);

    /** Events between the decoder and the state machine, with their compact serializer. */
    static final TypeInformation<Event> EVENT_TYPE =
            new SerializerTypeInfo<>(Event.class, () -> EventSerializer.INSTANCE);

    /** The outputs of the topology. */
    public record Outputs(DataStream<Alert> alerts, DataStream<DeadLetter> deadLetters) {}

    private StateMachineTopology() {}

    /** Event time is the Kafka record timestamp, tracked per partition in the source. */
    public static WatermarkStrategy<KafkaInputRecord> watermarks() {
        return WatermarkStrategy.<KafkaInputRecord>forBoundedOutOfOrderness(MAX_OUT_OF_ORDERNESS)
                .withTimestampAssigner((record, previous) -> record.timestamp)
                .withIdleness(IDLENESS);
    }

    /** {@code records} must carry timestamps and watermarks ({@link #watermarks}). */
    public static Outputs build(DataStream<KafkaInputRecord> records, StateMachineOptions options) {
        SingleOutputStreamOperator<Event> events =
                records.process(
                                new DecodeOrDeadLetter<>(
                                        options.inputFormat().decoder(), "eventsIn"))
                        .returns(EVENT_TYPE)
                        .uid("decode-events")
                        .name(
                                "Decode "
                                        + options.inputFormat().name().toLowerCase(Locale.ROOT)
                                        + " events");

        SingleOutputStreamOperator<Alert> alerts =
                events.keyBy(event -> event.address, Types.INT)
                        .transform(
                                "State machine per address",
                                TypeInformation.of(Alert.class),
                                options.implementation()
                                        .operator(options.stateTtl(), options.machineCache()))
                        .uid("state-machine")
                        .name("State machine per address");

        return new Outputs(alerts, events.getSideOutput(DecodeOrDeadLetter.DEAD_LETTERS));
    }
}
