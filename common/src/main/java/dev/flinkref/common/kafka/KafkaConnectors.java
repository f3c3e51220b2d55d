package dev.flinkref.common.kafka;

import dev.flinkref.common.deadletter.DeadLetter;
import dev.flinkref.common.deadletter.DeadLetterSerializer;
import dev.flinkref.common.options.KafkaOptions;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Kafka source and sinks configured the same way for every job. */
public final class KafkaConnectors {
    /**
     * The sink's transaction timeout. It must stay at or below the broker's {@code
     * transaction.max.timeout.ms} (15 min by default) or the sink fails at start; the connector's
     * own default (1 h) does. It must also exceed the longest expected checkpoint interval plus
     * recovery time, or the broker aborts a transaction that a checkpoint still wants to commit and
     * its records are lost. Override through {@code --kafka-properties}.
     */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    /**
     * The sinks' producer batch size. Kafka's default (16 KiB) holds a few hundred short records,
     * so an exactly-once copy spends its time sending small requests; 64 KiB is what Kafka's own
     * producer perf test is run with here (docs/benchmarks.md, section 2). Memory: one batch per
     * partition in flight, within the producer's 32 MiB buffer.
     */
    public static final int BATCH_SIZE_BYTES = 64 * 1024;

    private KafkaConnectors() {}

    /**
     * The producer settings every sink starts from ({@code --kafka-properties} overrides them): the
     * transaction timeout and the batch size above.
     */
    public static Properties producerDefaults(Properties clientProperties) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.putIfAbsent(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
        properties.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(BATCH_SIZE_BYTES));
        return properties;
    }

    /**
     * Reads {@code options.inputTopic()} from the group's committed offsets, or the earliest offset
     * for a new group; only committed records ({@code read_committed}), so an exactly-once upstream
     * stays exactly-once. With {@code --bounded} it stops at the end offsets seen at its first
     * start, and finishes also after a restore ({@link BoundedKafkaSource}).
     */
    public static Source<KafkaInputRecord, KafkaPartitionSplit, KafkaSourceEnumState> source(
            KafkaOptions options) {
        KafkaSource<KafkaInputRecord> kafka = kafkaSource(options);
        return options.bounded() ? new BoundedKafkaSource<>(kafka) : kafka;
    }

    /**
     * The connector's own source as {@link #source} configures it, without the restore fix: with
     * {@code --bounded}, a job restored from a savepoint or checkpoint never finishes
     * (FLINK-31006).
     */
    public static KafkaSource<KafkaInputRecord> kafkaSource(KafkaOptions options) {
        Properties properties = options.clientProperties();
        properties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaSourceBuilder<KafkaInputRecord> builder =
                KafkaSource.<KafkaInputRecord>builder()
                        .setProperties(properties)
                        .setBootstrapServers(options.bootstrapServers())
                        .setTopics(options.inputTopic())
                        .setGroupId(options.groupId())
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new KafkaInputDeserializer());
        if (options.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** The job's input: the Kafka source with a stable uid, watermarks generated per partition. */
    public static DataStream<KafkaInputRecord> input(
            StreamExecutionEnvironment env,
            KafkaOptions options,
            WatermarkStrategy<KafkaInputRecord> watermarks) {
        return env.fromSource(source(options), watermarks, "Kafka: " + options.inputTopic())
                .uid("kafka-source");
    }

    /** Writes dead letters to {@code options.dlqTopic()} with the job's delivery guarantee. */
    public static void sinkDeadLetters(DataStream<DeadLetter> deadLetters, KafkaOptions options) {
        deadLetters
                .sinkTo(sink(options, "dlq", new DeadLetterSerializer(options.dlqTopic())))
                .uid("dlq-sink")
                .name("Kafka dead letters: " + options.dlqTopic());
    }

    /**
     * A sink with the job's delivery guarantee. {@code transactionalIdSuffix} keeps the ids of two
     * sinks of one job apart (e.g. results and dead letters).
     */
    public static <T> KafkaSink<T> sink(
            KafkaOptions options,
            String transactionalIdSuffix,
            KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(producerDefaults(options.clientProperties()))
                .setBootstrapServers(options.bootstrapServers())
                .setDeliveryGuarantee(options.deliveryGuarantee())
                .setTransactionalIdPrefix(
                        options.transactionalIdPrefix() + "-" + transactionalIdSuffix)
                .setRecordSerializer(serializer)
                .build();
    }
}
