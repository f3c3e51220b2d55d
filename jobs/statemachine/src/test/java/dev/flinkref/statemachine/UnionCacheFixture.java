package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.kafka.KafkaInputRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Wrote the fixtures of the cache's first checkpoint layout (union operator state {@code
 * machine-cache}, before raw keyed state replaced it) into {@code
 * src/test/resources/savepoints/statemachine-v2-union-cache}, run at commit 2bb83c4 with {@code
 * -Dtest=UnionCacheFixture -Dsavepoint.regenerate=union-cache}. Kept to show how they were made and
 * disabled: the current operator writes the raw keyed layout, so running it now would overwrite the
 * fixtures with what they must not be.
 *
 * <ul>
 *   <li>{@code _metadata}: a retained checkpoint (not a savepoint: a savepoint flushes the cache
 *       and leaves {@code machine-cache} empty) of the job at parallelism 2 after phase 1 of {@link
 *       SavepointScenario}: the keyed state is empty, every saved machine is in the union state,
 *       split over the two subtasks. RocksDB full snapshot, all state inline (1 MB threshold), so
 *       the metadata file is the whole checkpoint.
 *   <li>{@code harness-subtask-{0,1}}: the operator alone at parallelism 2 (max parallelism 128),
 *       one checkpoint per subtask, written by {@link OperatorSnapshotUtil}, with the machines of
 *       {@link #HARNESS_ADDRESSES} in W in the cache.
 * </ul>
 */
@Disabled("Wrote the union-layout fixtures at commit 2bb83c4; the current operator cannot")
class UnionCacheFixture {
    static final String RESOURCE = "/savepoints/statemachine-v2-union-cache";

    /** Addresses of the harness fixture, all put into state W at {@link RestoreCost#T0}. */
    static final int[] HARNESS_ADDRESSES = {
        0x0A000001,
        0x0A000002,
        0x0A000003,
        0x0A000004,
        0x0A000005,
        0x0A000006,
        0x0A000007,
        0x0A000008
    };

    private static final Path TARGET = Path.of("src/test/resources" + RESOURCE);

    @Test
    void regenerateCheckpoint() throws Exception {
        Path scratch =
                Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "chk");
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        config.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, false);
        config.set(CheckpointingOptions.FS_SMALL_FILE_THRESHOLD, MemorySize.parse("1mb"));
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, scratch.toUri().toString());
        config.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // The first checkpoint comes 1-2 s after the start, long after phase 1 was emitted.
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(2));
        config.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofSeconds(1));
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(1, config);

        int phase1 = SavepointScenario.PHASE_1.size();
        // Phase 1, then (after the first completed checkpoint) copies of its last event, which
        // change no state: their alerts tell that checkpoint 1 completed.
        DataGeneratorSource<KafkaInputRecord> source =
                new DataGeneratorSource<>(
                        index -> SavepointScenario.PHASE_1.get((int) Math.min(index, phase1 - 1)),
                        Long.MAX_VALUE,
                        RateLimiterStrategy.perCheckpoint(phase1),
                        TypeInformation.of(KafkaInputRecord.class));
        StateMachineTopology.Outputs outputs =
                StateMachineTopology.build(
                        env.fromSource(source, StateMachineTopology.watermarks(), "Phase 1")
                                .uid("savepoint-fixture-source"),
                        StateMachineOptions.parse("--bootstrap-servers", "unused:9"));
        // Source and decoder at 1 keep each address's order; the state machine at 2 splits the
        // cache over two subtasks (two union list entries).
        outputs.alerts().getTransformation().setParallelism(2);
        CloseableIterator<Alert> alerts = outputs.alerts().collectAsync();
        JobClient job = env.executeAsync("statemachine union-cache fixture");
        assertThat(alerts.next()).isEqualTo(SavepointScenario.PHASE_1_ALERT);
        assertThat(alerts.next()).isEqualTo(SavepointScenario.PHASE_1_ALERT);
        job.cancel().get();

        // The latest completed checkpoint is retained: the state after phase 1 (the copies of
        // its last event change nothing).
        Path chk1;
        try (Stream<Path> dirs = Files.list(scratch.resolve(job.getJobID().toString()))) {
            chk1 =
                    dirs.filter(dir -> dir.getFileName().toString().startsWith("chk-"))
                            .findFirst()
                            .orElseThrow();
        }
        try (Stream<Path> files = Files.list(chk1)) {
            assertThat(files.map(Path::getFileName).map(Path::toString))
                    .as("all state inline in the metadata")
                    .containsExactly("_metadata");
        }
        Files.createDirectories(TARGET);
        Files.copy(
                chk1.resolve("_metadata"),
                TARGET.resolve("_metadata"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        FileUtils.deleteDirectory(scratch.toFile());
        System.out.println("Checkpoint written to " + TARGET.toAbsolutePath());
    }

    @Test
    void regenerateHarnessSnapshots() throws Exception {
        Files.createDirectories(TARGET);
        for (int subtask = 0; subtask < 2; subtask++) {
            try (KeyedOneInputStreamOperatorTestHarness<Integer, Event, Alert> harness =
                    RestoreCost.harness(128, 2, subtask, 100)) {
                harness.open();
                for (int address : HARNESS_ADDRESSES) {
                    if (org.apache.flink.runtime.state.KeyGroupRangeAssignment
                                    .assignKeyToParallelOperator(address, 128, 2)
                            == subtask) {
                        harness.processElement(
                                new Event(address, EventType.A, RestoreCost.T0), RestoreCost.T0);
                    }
                }
                OperatorSubtaskState snapshot = harness.snapshot(1, 1);
                assertThat(snapshot.getManagedKeyedState()).isNotEmpty();
                OperatorSnapshotUtil.writeStateHandle(
                        snapshot, TARGET.resolve("harness-subtask-" + subtask).toString());
            }
        }
    }
}
