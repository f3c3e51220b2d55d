package dev.flinkref.common.kafka;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.flink.util.Preconditions;

/**
 * A bounded {@link KafkaSource} that also finishes after a restore (FLINK-31006).
 *
 * <p>The connector (5.0.0-2.2) tells its readers that no more splits will come only when its
 * one-time partition discovery found a partition it had not assigned before. An enumerator restored
 * from a savepoint, a retained checkpoint, a JobManager failover or a global failover has assigned
 * every partition already: it never tells, and its readers, done at their stopping offsets, wait
 * forever. The stopping offsets themselves are in the readers' restored splits, so the documented
 * meaning of {@code --bounded} (the end offsets seen at the first start) survives the restore.
 *
 * <p>This source delegates everything to the Kafka source and watches only its enumerator's
 * context: when the first discovery's callback returns without starting the asynchronous split
 * initialisation that follows a partition change, nothing will be assigned any more, and it signals
 * "no more splits" to every reader the enumerator has not signalled itself (once per registration;
 * a second signal to a finished reader would fail the job). Once the connector signals by itself
 * (the fix proposed in apache/flink-connector-kafka pull request 318 lets the empty change through
 * to that asynchronous step), this adds nothing. Splits and enumerator state are the Kafka source's
 * own, so savepoints stay compatible both ways.
 */
public final class BoundedKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>,
                ResultTypeQueryable<T>,
                LineageVertexProvider {
    private static final long serialVersionUID = 1L;

    private final KafkaSource<T> kafka;

    public BoundedKafkaSource(KafkaSource<T> kafka) {
        Preconditions.checkArgument(
                kafka.getBoundedness() == Boundedness.BOUNDED, "the Kafka source is not bounded");
        this.kafka = kafka;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        return kafka.createReader(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
        FinishingContext finishing = new FinishingContext(context);
        return finishing.watch(kafka.createEnumerator(finishing));
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state)
            throws Exception {
        FinishingContext finishing = new FinishingContext(context);
        return finishing.watch(kafka.restoreEnumerator(finishing, state));
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return kafka.getProducedType();
    }

    @Override
    public LineageVertex getLineageVertex() {
        return kafka.getLineageVertex();
    }

    /**
     * The enumerator's context, watched. Every method runs in the source coordinator's thread
     * (handlers of {@code callAsync} included), so plain fields suffice.
     */
    private static final class FinishingContext
            implements SplitEnumeratorContext<KafkaPartitionSplit> {
        private final SplitEnumeratorContext<KafkaPartitionSplit> context;

        /** Readers signalled since they last registered. */
        private final Set<Integer> signalled = new HashSet<>();

        private boolean starting;
        private boolean discoveryWatched;
        private int asyncCalls;
        private boolean nothingMoreToAssign;

        FinishingContext(SplitEnumeratorContext<KafkaPartitionSplit> context) {
            this.context = context;
        }

        SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> watch(
                SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator) {
            return new FinishingEnumerator(enumerator, this);
        }

        void starting(boolean starting) {
            this.starting = starting;
        }

        void readerRegistering(int subtaskId) {
            signalled.remove(subtaskId);
        }

        void readerRegistered(int subtaskId) {
            if (nothingMoreToAssign) {
                signalOnce(subtaskId);
            }
        }

        private void signalOnce(int subtaskId) {
            if (!signalled.contains(subtaskId)) {
                signalNoMoreSplits(subtaskId);
            }
        }

        @Override
        public void signalNoMoreSplits(int subtaskId) {
            signalled.add(subtaskId);
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public <V> void callAsync(Callable<V> callable, BiConsumer<V, Throwable> handler) {
            asyncCalls++;
            if (!starting || discoveryWatched) {
                context.callAsync(callable, handler);
                return;
            }
            // The one-time discovery a bounded enumerator starts in start().
            discoveryWatched = true;
            context.callAsync(
                    callable,
                    (result, error) -> {
                        int before = asyncCalls;
                        handler.accept(result, error);
                        if (error == null && asyncCalls == before) {
                            // No partition change: nothing will be assigned any more.
                            nothingMoreToAssign = true;
                            context.registeredReaders().keySet().forEach(this::signalOnce);
                        }
                    });
        }

        @Override
        public <V> void callAsync(
                Callable<V> callable,
                BiConsumer<V, Throwable> handler,
                long initialDelayMillis,
                long periodMillis) {
            asyncCalls++;
            context.callAsync(callable, handler, initialDelayMillis, periodMillis);
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return context.metricGroup();
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
            context.sendEventToSourceReader(subtaskId, event);
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, int attemptNumber, SourceEvent event) {
            context.sendEventToSourceReader(subtaskId, attemptNumber, event);
        }

        @Override
        public int currentParallelism() {
            return context.currentParallelism();
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return context.registeredReaders();
        }

        @Override
        public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
            return context.registeredReadersOfAttempts();
        }

        @Override
        public void assignSplits(SplitsAssignment<KafkaPartitionSplit> assignment) {
            context.assignSplits(assignment);
        }

        @Override
        public void assignSplit(KafkaPartitionSplit split, int subtask) {
            context.assignSplit(split, subtask);
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            context.runInCoordinatorThread(runnable);
        }

        @Override
        public void setIsProcessingBacklog(boolean isProcessingBacklog) {
            context.setIsProcessingBacklog(isProcessingBacklog);
        }
    }

    /** The Kafka enumerator, telling its context when it starts and when a reader registers. */
    private static final class FinishingEnumerator
            implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator;
        private final FinishingContext context;

        FinishingEnumerator(
                SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator,
                FinishingContext context) {
            this.enumerator = enumerator;
            this.context = context;
        }

        @Override
        public void start() {
            context.starting(true);
            try {
                enumerator.start();
            } finally {
                context.starting(false);
            }
        }

        @Override
        public void addReader(int subtaskId) {
            // A re-registered reader (its task restarted) needs the signal again.
            context.readerRegistering(subtaskId);
            enumerator.addReader(subtaskId);
            context.readerRegistered(subtaskId);
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            enumerator.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            enumerator.addSplitsBack(splits, subtaskId);
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return enumerator.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            enumerator.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            enumerator.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent event) {
            enumerator.handleSourceEvent(subtaskId, event);
        }

        @Override
        public void close() throws IOException {
            enumerator.close();
        }
    }
}
