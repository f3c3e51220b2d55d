package dev.flinkref.statemachine;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints the restore-cost table of docs/benchmarks.md (section "Restore cost against parallelism").
 * Run on purpose, on a quiet machine:
 *
 * <pre>
 * ./mvnw -B -pl jobs/statemachine -am test -Dtest=RestoreCostFigures \
 *     -Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Drestore.figures=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "restore.figures", matches = "true")
class RestoreCostFigures {
    static final int MAX_PARALLELISM = 128;
    static final int ENTRIES_PER_SUBTASK = 10_000;

    @Test
    void print() throws Exception {
        // A first round warms up the JIT; its figures are not reported.
        for (int round = 0; round < 2; round++) {
            StringBuilder table = new StringBuilder();
            table.append("| Parallelism | Restore: bytes read by subtask 0 | entries kept | time |")
                    .append(" Rescale P -> 2P: bytes | time |\n");
            for (int parallelism : new int[] {2, 8, 32, 128}) {
                OperatorSubtaskState[] snapshots =
                        RestoreCost.checkpoint(MAX_PARALLELISM, parallelism, ENTRIES_PER_SUBTASK);
                RestoreCost.Result same = best(snapshots, parallelism);
                String rescale = "| - | - |";
                if (parallelism * 2 <= MAX_PARALLELISM) {
                    RestoreCost.Result doubled = best(snapshots, parallelism * 2);
                    rescale =
                            String.format(
                                    "| %,d | %.1f ms |",
                                    doubled.bytesRead(), doubled.restoreNanos() / 1e6);
                }
                table.append(
                        String.format(
                                "| %d | %,d | %,d | %.1f ms %s%n",
                                parallelism,
                                same.bytesRead(),
                                same.entriesRestored(),
                                same.restoreNanos() / 1e6,
                                rescale));
            }
            System.out.println("RESTORE COST round " + round + "\n" + table);
        }
    }

    /** The fastest of 3 restores (the bytes are the same each time). */
    private static RestoreCost.Result best(OperatorSubtaskState[] snapshots, int parallelism)
            throws Exception {
        RestoreCost.Result best = null;
        for (int i = 0; i < 3; i++) {
            RestoreCost.Result result =
                    RestoreCost.restore(
                            snapshots, MAX_PARALLELISM, parallelism, 2 * ENTRIES_PER_SUBTASK + 1);
            if (best == null || result.restoreNanos() < best.restoreNanos()) {
                best = result;
            }
        }
        return best;
    }
}
