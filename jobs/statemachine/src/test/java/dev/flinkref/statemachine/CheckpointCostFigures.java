package dev.flinkref.statemachine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The two designs for the cache at a checkpoint, on one subtask with RocksDB (incremental
 * checkpoints to the local disk) and 100,000 stored machines, all changed in the cache: keep them
 * as raw keyed state (what the operator does), or write them into RocksDB first (what flushing in
 * prepareSnapshotPreBarrier would do: the flush, then a checkpoint that must also persist what the
 * flush wrote). Prints the time of each, fastest of 5 (the machine is shared). Run on purpose:
 *
 * <pre>
 * ./mvnw -B -pl jobs/statemachine -am test -Dtest=CheckpointCostFigures \
 *     -Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Dcheckpoint.figures=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "checkpoint.figures", matches = "true")
class CheckpointCostFigures {
    private static final int MACHINES = 100_000;
    private static final long T0 = RestoreCost.T0;

    @Test
    void print() throws Exception {
        long bestRaw = Long.MAX_VALUE;
        long bestFlush = Long.MAX_VALUE;
        long bestFlushCheckpoint = Long.MAX_VALUE;
        for (int round = 0; round < 6; round++) {
            Path dir =
                    Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cc");
            try (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness =
                    open(dir)) {
                changeEveryMachine(harness, EventType.A, T0); // all W
                harness.snapshotWithLocalState(
                        1, 1, SavepointType.savepoint(SavepointFormatType.CANONICAL)); // stored
                harness.snapshot(2, 2);
                changeEveryMachine(harness, EventType.B, T0 + 1); // all Y, in the cache

                // Raw keyed state: the checkpoint serializes the changed entries.
                long start = System.nanoTime();
                harness.snapshot(3, 3);
                long raw = System.nanoTime() - start;

                // Flush: one more address fills the cache, which writes all of them to RocksDB.
                start = System.nanoTime();
                harness.processElement(new Event(address(MACHINES), EventType.A, T0 + 2), T0 + 2);
                long flush = System.nanoTime() - start;
                start = System.nanoTime();
                harness.snapshot(4, 4);
                long flushCheckpoint = System.nanoTime() - start;
                if (round > 0) { // the first round warms up
                    bestRaw = Math.min(bestRaw, raw);
                    bestFlush = Math.min(bestFlush, flush);
                    bestFlushCheckpoint = Math.min(bestFlushCheckpoint, flushCheckpoint);
                }
            } finally {
                FileUtils.deleteDirectory(dir.toFile());
            }
        }
        System.out.printf(
                "CHECKPOINT COST %,d changed machines: raw keyed state checkpoint %.1f ms;"
                        + " flush %.1f ms + checkpoint %.1f ms = %.1f ms%n",
                MACHINES,
                bestRaw / 1e6,
                bestFlush / 1e6,
                bestFlushCheckpoint / 1e6,
                (bestFlush + bestFlushCheckpoint) / 1e6);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> open(Path dir)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new StateMachineOperator(Duration.ofHours(1), MACHINES + 1),
                        event -> event.address,
                        Types.INT);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        harness.setCheckpointStorage(new FileSystemCheckpointStorage(dir.toUri()));
        harness.open();
        return harness;
    }

    private static void changeEveryMachine(
            KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness,
            EventType type,
            long timestamp)
            throws Exception {
        for (int i = 0; i < MACHINES; i++) {
            harness.processElement(new Event(address(i), type, timestamp), timestamp);
        }
    }

    private static int address(int i) {
        return 0x0A000000 + i;
    }
}
