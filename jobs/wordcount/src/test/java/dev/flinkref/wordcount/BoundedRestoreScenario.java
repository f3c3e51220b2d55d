package dev.flinkref.wordcount;

import dev.flinkref.common.kafka.KafkaConnectors;
import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.common.options.KafkaOptions;
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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code --bounded} after a restore (FLINK-31006, open in flink-connector-kafka 5.0.0-2.2): a
 * bounded source started at parallelism 2 and stopped with a savepoint mid-input, to be restored at
 * 3 ({@link BoundedRestoreIT}, {@link ConnectorBoundedRestoreIT}).
 */
final class BoundedRestoreScenario {
    private static final int PARTITIONS = 4;
    static final int RECORDS = 40_000;
    static final String READ = "records-read";

    private BoundedRestoreScenario() {}

    /** The input topic, and a bounded job at parallelism 2 stopped with a savepoint mid-input. */
    static Input savepointMidInput(KafkaBrokerExtension broker, Path state) throws Exception {
        KafkaTestClient kafka = broker.client();
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
                                broker.bootstrapServers(),
                                "--input-topic",
                                topic,
                                "--group-id",
                                topic,
                                "--bounded")
                        .kafka();
        // 1 ms per record in each of 2 subtasks: the first run needs ~20 s for the input, and is
        // stopped as soon as it has committed offsets.
        JobClient first = run(KafkaConnectors.source(options), 2, null, 1);
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

    static JobClient run(Source<KafkaInputRecord, ?, ?> source, int parallelism, String savepoint)
            throws Exception {
        return run(source, parallelism, savepoint, 0);
    }

    private static JobClient run(
            Source<KafkaInputRecord, ?, ?> source,
            int parallelism,
            String savepoint,
            long millisPerRecord)
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
                .map(new CountRead(millisPerRecord))
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

    /**
     * Counts the records a run read (an accumulator: reported when the run ends), taking {@code
     * millisPerRecord} for each: a slow first run; stateless, so the restored run may be fast.
     */
    private static final class CountRead extends RichMapFunction<KafkaInputRecord, Integer> {
        private final long millisPerRecord;
        private transient LongCounter read;

        CountRead(long millisPerRecord) {
            this.millisPerRecord = millisPerRecord;
        }

        @Override
        public void open(OpenContext context) {
            read = getRuntimeContext().getLongCounter(READ);
        }

        @Override
        public Integer map(KafkaInputRecord record) throws InterruptedException {
            read.add(1);
            if (millisPerRecord > 0) {
                Thread.sleep(millisPerRecord);
            }
            return 0;
        }
    }

    record Input(
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
