package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.kafka.KafkaInputRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the committed savepoint of {@link SavepointCompatibilityTest}. Run only on purpose,
 * when an intentional, documented state change makes the old savepoint obsolete:
 *
 * <pre>
 * ./mvnw -pl jobs/statemachine -am test -Dtest=StateMachineSavepointFixture \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dsavepoint.regenerate=true
 * </pre>
 *
 * It runs the job's topology with RocksDB, feeds phase 1 of {@link SavepointScenario}, and stops
 * the job with a canonical savepoint into {@code src/test/resources/savepoints/statemachine-v1}.
 */
@EnabledIfSystemProperty(named = "savepoint.regenerate", matches = "true")
class StateMachineSavepointFixture {
    @Test
    void regenerate() throws Exception {
        Path target = Path.of("src/test/resources" + SavepointScenario.SAVEPOINT_RESOURCE);
        Path scratch =
                Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sp");
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(1, config);

        int phase1 = SavepointScenario.PHASE_1.size();
        // Emits phase 1, then waits for a checkpoint that never comes before the savepoint: the
        // saved state is exactly "after phase 1".
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
        CloseableIterator<Alert> alerts = outputs.alerts().collectAsync();
        JobClient job = env.executeAsync("statemachine savepoint fixture");
        assertThat(alerts.next()).isEqualTo(SavepointScenario.PHASE_1_ALERT);

        Path savepoint =
                Path.of(
                        job.stopWithSavepoint(
                                        false,
                                        scratch.toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get(2, TimeUnit.MINUTES)
                                .replace("file:", ""));
        FileUtils.deleteDirectory(target.toFile());
        FileUtils.copy(
                new org.apache.flink.core.fs.Path(savepoint.toUri()),
                new org.apache.flink.core.fs.Path(target.toAbsolutePath().toUri()),
                false);
        System.out.println("Savepoint written to " + target.toAbsolutePath());
    }
}
