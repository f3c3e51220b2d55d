package dev.flinkref.statemachine;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link Event} on the wire between the decoder and the state machine: address (int), type code
 * (byte, -1 for none), timestamp (long); 13 bytes, no reflection. Events are never kept in state.
 */
public final class EventSerializer extends TypeSerializerSingleton<Event> {
    private static final long serialVersionUID = 1L;

    static final EventSerializer INSTANCE = new EventSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Event createInstance() {
        return new Event();
    }

    @Override
    public Event copy(Event from) {
        return new Event(from.address, from.type, from.timestamp);
    }

    @Override
    public Event copy(Event from, Event reuse) {
        reuse.address = from.address;
        reuse.type = from.type;
        reuse.timestamp = from.timestamp;
        return reuse;
    }

    @Override
    public int getLength() {
        return 13;
    }

    @Override
    public void serialize(Event event, DataOutputView target) throws IOException {
        target.writeInt(event.address);
        target.writeByte(event.type == null ? -1 : event.type.code());
        target.writeLong(event.timestamp);
    }

    @Override
    public Event deserialize(DataInputView source) throws IOException {
        return deserialize(new Event(), source);
    }

    @Override
    public Event deserialize(Event reuse, DataInputView source) throws IOException {
        reuse.address = source.readInt();
        reuse.type = EventType.ofCode(source.readByte());
        reuse.timestamp = source.readLong();
        return reuse;
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        target.write(source, 13);
    }

    @Override
    public TypeSerializerSnapshot<Event> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1: the 13-byte layout above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Event> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
