package dev.flinkref.bench;

import dev.flinkref.common.env.JobEnvironment;
import dev.flinkref.statemachine.AlertJson;
import dev.flinkref.statemachine.EventType;
import dev.flinkref.statemachine.State;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The baseline of the state-machine benchmark: the same DFA written the way Flink's
 * StateMachineExample is. Immutable event and alert classes (no default constructor, so Flink falls
 * back to Kryo for them), a lambda key selector, a {@code ValueState} by class, no state TTL, no
 * dead-letter path, no uids. Same binary input, same exactly-once sink and output format as the
 * real job, so only the job's code differs.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, transactional id prefix.
 */
public final class NaiveStateMachineJob {
    private NaiveStateMachineJob() {}

    /** As in the example: final fields, getters, no default constructor. */
    public static final class NaiveEvent {
        private final int sourceAddress;
        private final EventType type;
        private final long timestamp;

        public NaiveEvent(int sourceAddress, EventType type, long timestamp) {
            this.sourceAddress = sourceAddress;
            this.type = type;
            this.timestamp = timestamp;
        }

        public int sourceAddress() {
            return sourceAddress;
        }

        public EventType type() {
            return type;
        }

        public long timestamp() {
            return timestamp;
        }
    }

    /** As in the example: final fields, no default constructor. */
    public static final class NaiveAlert {
        private final int address;
        private final State state;
        private final EventType transition;
        private final long timestamp;

        public NaiveAlert(int address, State state, EventType transition, long timestamp) {
            this.address = address;
            this.state = state;
            this.transition = transition;
            this.timestamp = timestamp;
        }

        String json() {
            return AlertJson.encode(
                    new dev.flinkref.statemachine.Alert(address, state, transition, timestamp));
        }
    }

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = JobEnvironment.create();
        // As StateMachineExample: its types go through Kryo, which the jobs' defaults forbid.
        env.configure(
                new org.apache.flink.configuration.Configuration()
                        .set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, true));
        KafkaSource<NaiveEvent> source =
                BaselineKafka.boundedSource(args[0], args[1], args[3], new EventDeserializer());
        KafkaSink<NaiveAlert> sink =
                BaselineKafka.exactlyOnceSink(args[0], args[2], args[3], new AlertSerializer());
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka")
                .keyBy(NaiveEvent::sourceAddress)
                .flatMap(new StateMachineMapper())
                .sinkTo(sink);
        env.execute("state machine (StateMachineExample style)");
    }

    /** The example's mapper: current state per address, an alert for an invalid transition. */
    static final class StateMachineMapper extends RichFlatMapFunction<NaiveEvent, NaiveAlert> {
        private ValueState<State> currentState;

        @Override
        public void open(OpenContext context) {
            currentState =
                    getRuntimeContext().getState(new ValueStateDescriptor<>("state", State.class));
        }

        @Override
        public void flatMap(NaiveEvent event, Collector<NaiveAlert> out) throws Exception {
            State state = currentState.value();
            if (state == null) {
                state = State.INITIAL;
            }
            Optional<State> next = state.next(event.type());
            if (next.isEmpty()) {
                out.collect(
                        new NaiveAlert(
                                event.sourceAddress(), state, event.type(), event.timestamp()));
            } else if (next.get() == State.TERMINAL) {
                currentState.clear();
            } else {
                currentState.update(next.get());
            }
        }
    }

    /** The 8-byte binary format (address, type code) and the record's timestamp. */
    static final class EventDeserializer implements KafkaRecordDeserializationSchema<NaiveEvent> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<NaiveEvent> out) {
            ByteBuffer value = ByteBuffer.wrap(record.value());
            out.collect(
                    new NaiveEvent(
                            value.getInt(), EventType.ofCode(value.getInt()), record.timestamp()));
        }

        @Override
        public TypeInformation<NaiveEvent> getProducedType() {
            return TypeInformation.of(NaiveEvent.class);
        }
    }

    static final class AlertSerializer implements SerializationSchema<NaiveAlert> {
        @Override
        public byte[] serialize(NaiveAlert alert) {
            return alert.json().getBytes(StandardCharsets.UTF_8);
        }
    }
}
