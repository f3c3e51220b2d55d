package dev.flinkref.wordcount;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Counts words per tumbling window in the subtask, before the shuffle, so the keyed window sees one
 * {@link PartialCount} per word, window and subtask instead of every word.
 *
 * <p>Nothing is held where it could change the result: a window's partials are emitted before the
 * watermark that fires it downstream is forwarded (so they cannot be late there, and the window
 * operator alone still decides lateness), before the input turns idle (an idle channel no longer
 * holds back the downstream watermark), before each checkpoint barrier (so the operator has no
 * state: exactly-once needs none), at end of input, and whenever more than {@code maxEntries} words
 * are held (bounded memory; emitting early is always safe). A word whose window this subtask's
 * watermark has already passed is forwarded at once, with its own timestamp, exactly as without
 * pre-aggregation.
 */
final class PreAggregateWords extends AbstractStreamOperator<PartialCount>
        implements OneInputStreamOperator<String, PartialCount>, BoundedOneInput {

    private final long windowSize;
    private final int maxEntries;

    /** Window start -> word -> count; a TreeMap so watermarks flush windows in order. */
    private transient TreeMap<Long, HashMap<String, long[]>> windows;

    private transient int entries;
    private transient long currentWatermark;
    private transient StreamRecord<PartialCount> reuse;

    PreAggregateWords(long windowSize, int maxEntries) {
        if (windowSize <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("window size and max entries must be positive");
        }
        this.windowSize = windowSize;
        this.maxEntries = maxEntries;
    }

    @Override
    public void open() throws Exception {
        super.open();
        windows = new TreeMap<>();
        entries = 0;
        currentWatermark = Long.MIN_VALUE;
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<String> element) throws Exception {
        if (!element.hasTimestamp()) {
            // The window rejects records without a timestamp; let it say so, as before.
            output.collect(element.replace(new PartialCount(element.getValue(), 1)));
            return;
        }
        long timestamp = element.getTimestamp();
        long start = TimeWindow.getWindowStartWithOffset(timestamp, 0, windowSize);
        if (start + windowSize - 1 <= currentWatermark) {
            // Late in this subtask's view already: the window decides what that means.
            output.collect(element.replace(new PartialCount(element.getValue(), 1)));
            return;
        }
        HashMap<String, long[]> words = windows.get(start);
        if (words == null) {
            words = new HashMap<>();
            windows.put(start, words);
        }
        long[] count = words.get(element.getValue());
        if (count == null) {
            words.put(element.getValue(), new long[] {1});
            if (++entries > maxEntries) {
                emitUpTo(Long.MAX_VALUE);
            }
        } else {
            count[0]++;
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        currentWatermark = Math.max(currentWatermark, mark.getTimestamp());
        emitUpTo(mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) {
            emitUpTo(Long.MAX_VALUE);
        }
        super.processWatermarkStatus(status);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        emitUpTo(Long.MAX_VALUE);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        emitUpTo(Long.MAX_VALUE);
    }

    @Override
    public void finish() throws Exception {
        emitUpTo(Long.MAX_VALUE);
        super.finish();
    }

    /** Emits the partials of every window whose last millisecond is at most {@code watermark}. */
    private void emitUpTo(long watermark) {
        Iterator<Map.Entry<Long, HashMap<String, long[]>>> it = windows.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, HashMap<String, long[]>> window = it.next();
            long maxTimestamp = window.getKey() + windowSize - 1;
            if (maxTimestamp > watermark) {
                break;
            }
            reuse.setTimestamp(maxTimestamp);
            for (Map.Entry<String, long[]> word : window.getValue().entrySet()) {
                output.collect(reuse.replace(new PartialCount(word.getKey(), word.getValue()[0])));
            }
            entries -= window.getValue().size();
            it.remove();
        }
    }
}
