package dev.flinkref.statemachine;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.CheckpointType;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.KeyedStateCheckpointOutputStream;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs one state machine per address (the key) and emits an {@link Alert} for every event without a
 * transition from the current state.
 *
 * <p>State: {@code machine} ({@link MachineState}) per address; none for an address in {@code
 * Initial}, and none after {@code Terminal}. An address idle for the TTL (in event time: no event
 * with a newer timestamp while the watermark moved past last-active + TTL) is dropped and counted
 * in {@code expiredMachines}; its next event starts from {@code Initial}. One event-time timer per
 * stored address, re-armed lazily rather than on every event.
 *
 * <p>Write-back cache: the machines touched since the last flush live on the heap (at most {@code
 * cacheCapacity} addresses) and reach the state backend only at a flush: when the cache is full,
 * before a watermark that would fire a timer of a cached address, at the end of input, and in every
 * savepoint (so a savepoint's keyed state holds every machine, as it did before the cache). Most
 * machines start and end between two flushes and never cost a RocksDB write or a timer; the others
 * cost one write per flush instead of one per event. Alerts are emitted at once, as before.
 *
 * <p>A checkpoint does not flush: it stores the changed cache entries as they are (about 31 bytes
 * each, serialized in the synchronous phase in milliseconds where writing them to RocksDB took up
 * to seconds, with the task stopped) as raw keyed state, per key group, as Flink stores heap
 * timers. A restore, at any parallelism, reads only the key groups of its own range: the read per
 * subtask does not grow with the parallelism. The keyed state restored with them is exactly the
 * state those entries were read from. Checkpoints of the earlier layout (every subtask's entries in
 * the union operator state {@code machine-cache}) still restore: read once, entries of other key
 * groups dropped, the union state emptied. Raw keyed state has one user per operator, so heap
 * timers in a RocksDB backend (which Flink writes there in checkpoints) are refused at the start.
 *
 * <p>The end of a bounded input (the final watermark) fires no expiry: nothing is emitted by one,
 * and walking millions of timers only delayed the end of the job.
 *
 * <p>Compatible with savepoints of the {@code KeyedProcessFunction} this replaced: the same keyed
 * state, timer service ({@code user-timers}) and operator state names.
 *
 * <p>Metrics: {@code alertsOut}, {@code expiredMachines}, and the gauge {@code liveMachines}: the
 * machines this subtask holds. It is kept in operator state so that it survives restarts; after a
 * rescale only its sum over all subtasks is exact.
 */
final class StateMachineOperator extends AbstractStreamOperator<Alert>
        implements OneInputStreamOperator<Event, Alert>, Triggerable<Integer, VoidNamespace> {
    static final String STATE_NAME = "machine";

    /** The name {@code KeyedProcessOperator} gives its timers: earlier savepoints keep theirs. */
    static final String TIMER_SERVICE_NAME = "user-timers";

    /** The union operator state where checkpoints of the earlier layout kept the cache. */
    static final String CACHE_STATE_NAME = "machine-cache";

    private final long ttlMillis;
    private final int cacheCapacity;

    private transient ValueState<MachineState> machine;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient IntKeyMap<CachedMachine> cache;

    /** No cached address has a timer (pending or to be registered) before this event time. */
    private transient long earliestCachedDeadline;

    /** Read once from checkpoints of the union layout, then empty. */
    private transient ListState<byte[]> cacheState;

    private transient int maxParallelism;
    private transient KeyGroupRange keyGroups;
    private transient boolean savepoint;
    private transient ListState<Long> liveCountState;
    private transient long liveMachines;
    private transient Counter alertsOut;
    private transient Counter expiredMachines;

    /** One address between flushes: its machine now and what the state backend holds. */
    private static final class CachedMachine {
        /** The machine now, {@code null} when none (Initial, ended, or never started). */
        MachineState current;

        /** The backend holds a machine for this address. */
        final boolean stored;

        /** The backend's pending timer for this address, 0 when none. */
        final long storedTimer;

        /** Changed since it was read. */
        boolean dirty;

        CachedMachine(MachineState stored) {
            this(stored, stored != null, stored == null ? 0 : stored.expiryTimer);
        }

        CachedMachine(MachineState current, boolean stored, long storedTimer) {
            this.current = current;
            this.stored = stored;
            this.storedTimer = storedTimer;
        }

        private static final byte FORMAT = 1;

        void writeTo(int address, DataOutputSerializer out) throws IOException {
            out.writeInt(address);
            out.writeBoolean(stored);
            out.writeLong(storedTimer);
            out.writeBoolean(current != null);
            if (current != null) {
                out.writeByte(current.state.ordinal());
                out.writeLong(current.lastActive);
                out.writeLong(current.expiryTimer);
            }
        }

        static CachedMachine readFrom(DataInputView in) throws IOException {
            boolean stored = in.readBoolean();
            long storedTimer = in.readLong();
            MachineState current = null;
            if (in.readBoolean()) {
                current = new MachineState(State.values()[in.readByte()], in.readLong());
                current.expiryTimer = in.readLong();
            }
            CachedMachine cached = new CachedMachine(current, stored, storedTimer);
            cached.dirty = true;
            return cached;
        }
    }

    StateMachineOperator(Duration ttl, int cacheCapacity) {
        this.ttlMillis = ttl.toMillis();
        this.cacheCapacity = cacheCapacity;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        liveCountState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("live-machines", Types.LONG));
        liveMachines = 0;
        for (Long count : liveCountState.get()) {
            liveMachines += count;
        }
        cache = new IntKeyMap<>(Math.min(cacheCapacity, 1 << 20));
        earliestCachedDeadline = Long.MAX_VALUE;
        TaskInfo task = getRuntimeContext().getTaskInfo();
        maxParallelism = task.getMaxNumberOfParallelSubtasks();
        keyGroups =
                KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                        maxParallelism,
                        task.getNumberOfParallelSubtasks(),
                        task.getIndexOfThisSubtask());
        checkTimersLeaveRawKeyedStateToUs();
        for (KeyGroupStatePartitionStreamProvider input : context.getRawKeyedStateInputs()) {
            restoreKeyGroup(input);
        }
        // The layout before raw keyed state: every subtask's entries in one union list. Read once
        // (entries of other key groups dropped) and emptied, so the next checkpoint writes only
        // the new layout.
        cacheState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        CACHE_STATE_NAME,
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        for (byte[] chunk : cacheState.get()) {
            restoreUnionChunk(chunk);
        }
        cacheState.clear();
    }

    /**
     * The cache is this operator's raw keyed state; Flink writes heap timers of a RocksDB backend
     * there in checkpoints too, and would fail the first checkpoint. Better to fail at the start.
     */
    private void checkTimersLeaveRawKeyedStateToUs() {
        if (getKeyedStateBackend() instanceof AbstractKeyedStateBackend<?> backend
                && backend.requiresLegacySynchronousTimerSnapshots(CheckpointType.CHECKPOINT)) {
            throw new IllegalStateException(
                    "The state machine keeps its cache in raw keyed state, which heap timers in"
                            + " RocksDB would need too: set state.backend.rocksdb.timer-service"
                            + ".factory to ROCKSDB (the default), or run --implementation"
                            + " reference");
        }
    }

    /** Takes back the entries of one key group of this subtask (raw keyed state). */
    private void restoreKeyGroup(KeyGroupStatePartitionStreamProvider input) throws IOException {
        DataInputViewStreamWrapper in = new DataInputViewStreamWrapper(input.getStream());
        if (in.readByte() != CachedMachine.FORMAT) {
            throw new IOException(
                    "Raw keyed state of key group "
                            + input.getKeyGroupId()
                            + " is not a machine cache (heap timers of an older checkpoint?)");
        }
        for (int count = in.readInt(); count > 0; count--) {
            int address = in.readInt();
            CachedMachine cached = CachedMachine.readFrom(in);
            cache.putNew(address, cached);
            track(cached);
        }
    }

    /** Takes back the entries of this subtask's key groups from one subtask's union chunk. */
    private void restoreUnionChunk(byte[] chunk) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(chunk);
        if (in.readByte() != CachedMachine.FORMAT) {
            throw new IOException("Unknown format of operator state " + CACHE_STATE_NAME);
        }
        while (in.available() > 0) {
            int address = in.readInt();
            CachedMachine cached = CachedMachine.readFrom(in);
            if (keyGroups.contains(
                    KeyGroupRangeAssignment.assignToKeyGroup(address, maxParallelism))) {
                cache.putNew(address, cached);
                track(cached);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        machine =
                getKeyedStateStore()
                        .getState(
                                new ValueStateDescriptor<>(
                                        STATE_NAME, TypeInformation.of(MachineState.class)));
        timers =
                getInternalTimerService(TIMER_SERVICE_NAME, VoidNamespaceSerializer.INSTANCE, this);
        alertsOut = getMetricGroup().counter("alertsOut");
        expiredMachines = getMetricGroup().counter("expiredMachines");
        getMetricGroup().gauge("liveMachines", () -> liveMachines);
    }

    @Override
    public void processElement(StreamRecord<Event> element) throws Exception {
        Event event = element.getValue();
        long eventTime = element.hasTimestamp() ? element.getTimestamp() : event.timestamp;
        CachedMachine cached = cached(event.address);
        MachineState current = cached.current;
        State state = current == null ? State.INITIAL : current.state;
        Optional<State> next = state.next(event.type);

        if (next.isEmpty()) {
            alertsOut.inc();
            output.collect(
                    element.replace(new Alert(event.address, state, event.type, event.timestamp)));
            if (current != null) {
                touch(cached, eventTime);
            }
        } else if (next.get() == State.TERMINAL) {
            if (current != null) {
                cached.current = null;
                cached.dirty = true;
                liveMachines--;
            }
        } else {
            if (current == null) {
                cached.current = new MachineState(next.get(), eventTime);
                liveMachines++;
            } else {
                current.state = next.get();
            }
            touch(cached, eventTime);
        }
        if (cache.size() >= cacheCapacity) {
            flush();
        }
    }

    private CachedMachine cached(int address) throws Exception {
        CachedMachine cached = cache.get(address);
        if (cached == null) {
            cached = new CachedMachine(machine.value());
            cache.putNew(address, cached);
            track(cached);
        }
        return cached;
    }

    /** Keeps {@link #earliestCachedDeadline} true for an entry just added to the cache. */
    private void track(CachedMachine cached) {
        if (cached.storedTimer != 0) {
            earliestCachedDeadline = Math.min(earliestCachedDeadline, cached.storedTimer);
        }
        MachineState current = cached.current;
        if (current != null && current.expiryTimer == 0) {
            earliestCachedDeadline =
                    Math.min(earliestCachedDeadline, current.lastActive + ttlMillis);
        }
    }

    private void touch(CachedMachine cached, long eventTime) {
        MachineState current = cached.current;
        current.lastActive = Math.max(current.lastActive, eventTime);
        cached.dirty = true;
        if (current.expiryTimer == 0) {
            earliestCachedDeadline =
                    Math.min(earliestCachedDeadline, current.lastActive + ttlMillis);
        }
    }

    /** Writes every changed machine to the backend, with its timer, and empties the cache. */
    private void flush() throws Exception {
        cache.forEach(this::write);
        cache.clear();
        earliestCachedDeadline = Long.MAX_VALUE;
    }

    private void write(int address, CachedMachine cached) throws Exception {
        if (!cached.dirty) {
            return;
        }
        setCurrentKey(address);
        MachineState current = cached.current;
        if (current == null) {
            if (cached.storedTimer != 0) {
                timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, cached.storedTimer);
            }
            if (cached.stored) {
                machine.clear();
            }
            return;
        }
        if (current.expiryTimer == 0) {
            if (cached.storedTimer != 0) {
                // The stored machine ended and a new one started in the cache.
                timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, cached.storedTimer);
            }
            current.expiryTimer = current.lastActive + ttlMillis;
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, current.expiryTimer);
        }
        machine.update(current);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            // End of input: store the machines, forward the watermark, expire nothing.
            flush();
            output.emitWatermark(mark);
            return;
        }
        if (mark.getTimestamp() >= earliestCachedDeadline) {
            flush(); // the timers about to fire must see the machines as they are now
        }
        super.processWatermark(mark);
    }

    @Override
    public void onEventTime(InternalTimer<Integer, VoidNamespace> timer) throws Exception {
        MachineState current = machine.value();
        long timestamp = timer.getTimestamp();
        if (current == null || current.expiryTimer != timestamp) {
            return;
        }
        long expiry = current.lastActive + ttlMillis;
        if (expiry <= timestamp) {
            machine.clear();
            liveMachines--;
            expiredMachines.inc();
        } else {
            // Active since the timer was set: re-arm for the new expiry instead of on every event.
            current.expiryTimer = expiry;
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, expiry);
            machine.update(current);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<Integer, VoidNamespace> timer) {}

    @Override
    public OperatorSnapshotFutures snapshotState(
            long checkpointId,
            long timestamp,
            CheckpointOptions checkpointOptions,
            CheckpointStreamFactory factory)
            throws Exception {
        savepoint = checkpointOptions.getCheckpointType().isSavepoint();
        return super.snapshotState(checkpointId, timestamp, checkpointOptions, factory);
    }

    @Override
    protected boolean isUsingCustomRawKeyedState() {
        return true;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        if (savepoint) {
            flush(); // before super, which writes the timers of a heap timer service
        }
        super.snapshotState(context);
        writeChangedEntries(context);
        liveCountState.update(List.of(liveMachines));
    }

    /**
     * The changed cache entries, per key group, as raw keyed state: a restore at any parallelism
     * reads only the key groups of its own range. Nothing at all when no entry changed (after a
     * flush); else every key group of the range, as Flink writes heap timers.
     */
    private void writeChangedEntries(StateSnapshotContext context) throws Exception {
        KeyGroupRange range = keyGroups;
        DataOutputSerializer[] groups = new DataOutputSerializer[range.getNumberOfKeyGroups()];
        int[] counts = new int[groups.length];
        cache.forEach(
                (address, cached) -> {
                    if (cached.dirty) {
                        int index =
                                KeyGroupRangeAssignment.assignToKeyGroup(address, maxParallelism)
                                        - range.getStartKeyGroup();
                        if (groups[index] == null) {
                            groups[index] = new DataOutputSerializer(256);
                        }
                        cached.writeTo(address, groups[index]);
                        counts[index]++;
                    }
                });
        if (Arrays.stream(counts).allMatch(count -> count == 0)) {
            return;
        }
        KeyedStateCheckpointOutputStream stream = context.getRawKeyedOperatorStateOutput();
        DataOutputViewStreamWrapper out = new DataOutputViewStreamWrapper(stream);
        for (int index = 0; index < groups.length; index++) {
            stream.startNewKeyGroup(range.getStartKeyGroup() + index);
            out.writeByte(CachedMachine.FORMAT);
            out.writeInt(counts[index]);
            if (groups[index] != null) {
                out.write(groups[index].getSharedBuffer(), 0, groups[index].length());
            }
        }
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @VisibleForTesting
    long liveMachines() {
        return liveMachines;
    }

    @VisibleForTesting
    int cachedMachines() {
        return cache.size();
    }

    @VisibleForTesting
    long expiredMachines() {
        return expiredMachines.getCount();
    }
}
