package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * A restore reads the checkpointed cache of its own key groups only: with the same number of cached
 * machines per subtask, the bytes one subtask reads do not grow with the parallelism, on a restore
 * and on a rescale. The union-state layout this replaced read every subtask's entries: 2 x (p / 2)
 * to 128 x the entries kept (docs/benchmarks.md, "Restore cost against parallelism").
 */
class RestoreCostTest {
    private static final int MAX_PARALLELISM = 128;
    private static final int ENTRIES = 500;

    /** One cache entry: address, stored flag and timer, machine flag, state, times. */
    private static final int ENTRY_BYTES = 4 + 1 + 8 + 1 + 1 + 8 + 8;

    @Test
    void theReadPerSubtaskIsFlatFromParallelism2To128() throws Exception {
        List<RestoreCost.Result> restores = new ArrayList<>();
        for (int parallelism : new int[] {2, 8, 32, 128}) {
            OperatorSubtaskState[] checkpoint =
                    RestoreCost.checkpoint(MAX_PARALLELISM, parallelism, ENTRIES);
            RestoreCost.Result restore =
                    RestoreCost.restore(checkpoint, MAX_PARALLELISM, parallelism, ENTRIES + 1);
            assertThat(restore.entriesRestored()).isEqualTo(ENTRIES);
            restores.add(restore);
            if (parallelism > 2) {
                // Scaled in by 4 (each subtask now owns 4 old subtasks' key groups).
                RestoreCost.Result rescaled =
                        RestoreCost.restore(
                                checkpoint, MAX_PARALLELISM, parallelism / 4, 4 * ENTRIES + 1);
                assertThat(rescaled.entriesRestored()).isEqualTo(4L * ENTRIES);
                assertThat(rescaled.bytesRead())
                        .isBetween(
                                4L * ENTRIES * ENTRY_BYTES,
                                4L * ENTRIES * ENTRY_BYTES + MAX_PARALLELISM * 5L);
            }
        }
        for (RestoreCost.Result restore : restores) {
            // The entries of its key groups, plus 5 bytes per key group (format, count).
            assertThat(restore.bytesRead())
                    .as("bytes read by one subtask at parallelism %d", restore.parallelism())
                    .isBetween(
                            (long) ENTRIES * ENTRY_BYTES,
                            (long) ENTRIES * ENTRY_BYTES
                                    + 5L * MAX_PARALLELISM / restore.parallelism());
        }
    }
}
