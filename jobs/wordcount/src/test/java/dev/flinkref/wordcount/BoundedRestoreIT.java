package dev.flinkref.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.kafka.BoundedKafkaSource;
import dev.flinkref.common.kafka.KafkaConnectors;
import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.common.options.KafkaOptions;
import dev.flinkref.testkit.flink.MiniClusters;
import dev.flinkref.testkit.kafka.ConsumerRateLimit;
import dev.flinkref.testkit.kafka.KafkaBrokerExtension;
import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --bounded} after a restore (FLINK-31006, open in flink-connector-kafka 5.0.0-2.2): a
 * bounded source started at parallelism 2, stopped with a savepoint mid-input and restored at 3.
 * The connector's own source reads every record and then runs forever; {@link BoundedKafkaSource}
 * (what the jobs use) finishes. When the first test fails after a connector upgrade, the connector
 * signals by itself and {@code BoundedKafkaSource} can go.
 */
class BoundedRestoreIT {
    private static final int PARTITIONS = 4;
    private static final int RECORDS = 40_000;
    private static final String READ = "records-read";

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.extension(1, 3);

    @TempDir Path state;

    @Test
    void theConnectorsBoundedSourceReadsEverythingAfterARestoreAndNeverFinishes() throws Exception {
        Input input = savepointMidInput();
        JobClient restored = run(KafkaConnectors.kafkaSource(input.options), 3, input.savepoint);

        input.awaitEveryRecordCommitted(restored);
        // Every record read and its offset committed by a checkpoint: a bounded job is done. Six
        // more checkpoints later (500 ms apart) it still runs, its readers idle.
        Thread.sleep(3_000);
        assertThat(restored.getJobStatus().get(30, TimeUnit.SECONDS))
                .as("FLINK-31006: the restored bounded job never finishes")
                .isEqualTo(JobStatus.RUNNING);
        restored.cancel().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theJobsSourceFinishesAfterARestoreAtAnotherParallelism() throws Exception {
        Input input = savepointMidInput();
        JobClient restored = run(KafkaConnectors.source(input.options), 3, input.savepoint);

        long afterRestore =
                restored.getJobExecutionResult()
                        .get(2, TimeUnit.MINUTES)
                        .<Long>getAccumulatorResult(READ);
        // Stopped with a savepoint, the first run read nothing after it: together, every record
        // exactly once.
        assertThat(input.readBeforeSavepoint).isPositive();
        assertThat(afterRestore).isPositive();
        assertThat(input.readBeforeSavepoint + afterRestore).isEqualTo(RECORDS);
    }

    /** The input topic, and a bounded job at parallelism 2 stopped with a savepoint mid-input. */
    private Input savepointMidInput() throws Exception {
        KafkaTestClient kafka = KAFKA.client();
        String topic = kafka.createUniqueTopic("bounded-restore", PARTITIONS);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            byte[] value = ("record " + i + " ".repeat(80)).getBytes(StandardCharsets.UTF_8);
            records.add(new ProducerRecord<>(topic, i % PARTITIONS, null, value));
        }
        kafka.produce(topic, records);
        KafkaOptions options =
                WordCountOptions.parse(
                                "--bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "--input-topic",
                                topic,
                                "--group-id",
                                topic,
                                "--kafka-properties",
                                ConsumerRateLimit.smallFetchProperties(
                                                state.resolve(topic + ".properties"))
                                        .toString(),
                                "--bounded")
                        .kafka();
        // 1 MB a partition at 64 KB/s a reader: the first run is far from done when it stops.
        try (ConsumerRateLimit limit = ConsumerRateLimit.perClient(kafka.admin(), 64 * 1024)) {
            JobClient first = run(KafkaConnectors.source(options), 2, null);
            awaitCommittedOffsets(kafka, topic, first, committed -> committed > 0);
            String savepoint =
                    first.stopWithSavepoint(
                                    false,
                                    state.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(1, TimeUnit.MINUTES);
            long read =
                    first.getJobExecutionResult()
                            .get(1, TimeUnit.MINUTES)
                            .<Long>getAccumulatorResult(READ);
            return new Input(kafka, topic, options, savepoint, read);
        }
    }

    private JobClient run(Source<KafkaInputRecord, ?, ?> source, int parallelism, String savepoint)
            throws Exception {
        Configuration config = new Configuration();
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        if (savepoint != null) {
            config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka")
                .uid("kafka-source")
                .map(new CountRead())
                .uid("count")
                .sinkTo(new DiscardingSink<>())
                .uid("discard");
        return env.executeAsync("bounded restore");
    }

    /**
     * Waits until the group's committed offsets, summed over the partitions, satisfy {@code until}.
     */
    private static void awaitCommittedOffsets(
            KafkaTestClient kafka, String group, JobClient job, LongPredicate until)
            throws Exception {
        // Generous: on a loaded 2-core machine a MiniCluster job can take a minute to start.
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long committed = 0;
        while (System.nanoTime() < deadline) {
            committed =
                    kafka
                            .admin()
                            .listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS)
                            .values()
                            .stream()
                            .filter(Objects::nonNull)
                            .mapToLong(OffsetAndMetadata::offset)
                            .sum();
            if (until.test(committed)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "committed offsets of "
                        + group
                        + " stayed at "
                        + committed
                        + ", job "
                        + job.getJobStatus().get(30, TimeUnit.SECONDS));
    }

    /** Counts the records a run read (an accumulator: reported when the run ends). */
    private static final class CountRead extends RichMapFunction<KafkaInputRecord, Integer> {
        private transient LongCounter read;

        @Override
        public void open(OpenContext context) {
            read = getRuntimeContext().getLongCounter(READ);
        }

        @Override
        public Integer map(KafkaInputRecord record) {
            read.add(1);
            return 0;
        }
    }

    private record Input(
            KafkaTestClient kafka,
            String topic,
            KafkaOptions options,
            String savepoint,
            long readBeforeSavepoint) {
        /** The source commits its offsets to the group when a checkpoint completes. */
        void awaitEveryRecordCommitted(JobClient job) throws Exception {
            awaitCommittedOffsets(kafka, topic, job, committed -> committed == RECORDS);
        }
    }
}
