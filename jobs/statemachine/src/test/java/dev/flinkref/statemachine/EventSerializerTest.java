package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Events between the decoder and the state machine: 13 bytes, exact round trips. */
class EventSerializerTest {
    @Test
    void everyEventTypeRoundTripsInThirteenBytes() throws Exception {
        for (EventType type : EventType.values()) {
            Event event = new Event(0xC0A80001, type, 1_700_000_000_123L);
            DataOutputSerializer out = new DataOutputSerializer(32);
            EventSerializer.INSTANCE.serialize(event, out);

            assertThat(out.length()).isEqualTo(13).isEqualTo(EventSerializer.INSTANCE.getLength());
            Event copy =
                    EventSerializer.INSTANCE.deserialize(
                            new Event(), new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(copy).isEqualTo(event);
        }
    }

    @Test
    void theTopologyUsesIt() {
        assertThat(StateMachineTopology.EVENT_TYPE.createSerializer(new SerializerConfigImpl()))
                .isSameAs(EventSerializer.INSTANCE);
    }
}
