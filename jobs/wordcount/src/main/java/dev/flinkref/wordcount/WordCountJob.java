package dev.flinkref.wordcount;

import dev.flinkref.common.env.JobEnvironment;
import dev.flinkref.common.kafka.KafkaConnectors;
import dev.flinkref.common.options.EffectiveOptions;
import dev.flinkref.common.options.JobCli;
import dev.flinkref.common.options.KafkaOptions;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Entry point: wires {@link WordCountTopology} to Kafka. Nothing else lives here. */
public final class WordCountJob {
    private WordCountJob() {}

    public static void main(String[] args) throws Exception {
        WordCountOptions options = JobCli.parseOrExit(WordCountOptions::parse, args);
        StreamExecutionEnvironment env =
                JobEnvironment.create(EffectiveOptions.of(WordCountOptions.parser(), args));
        define(env, options);
        env.execute("wordcount");
    }

    /** Parses without exiting; the contract deployment checks use to validate manifest args. */
    public static WordCountOptions parseOptions(String... args) {
        return WordCountOptions.parse(args);
    }

    /** The whole job on {@code env}, Kafka included; separate from main for plan checks. */
    static void define(StreamExecutionEnvironment env, WordCountOptions options) {
        KafkaOptions kafka = options.kafka();
        WordCountTopology.Outputs outputs =
                WordCountTopology.build(
                        KafkaConnectors.input(env, kafka, WordCountTopology.watermarks(options)),
                        options);

        outputs.counts()
                .sinkTo(
                        KafkaConnectors.sink(
                                kafka, "counts", new WordCountSerializer(kafka.outputTopic())))
                .uid("kafka-sink")
                .name("Kafka: " + kafka.outputTopic());

        KafkaConnectors.sinkDeadLetters(outputs.deadLetters(), kafka);

        options.lateTopic()
                .ifPresent(
                        topic ->
                                outputs.lateWords()
                                        .sinkTo(
                                                KafkaConnectors.sink(
                                                        kafka,
                                                        "late",
                                                        KafkaRecordSerializationSchema
                                                                .<String>builder()
                                                                .setTopic(topic)
                                                                .setValueSerializationSchema(
                                                                        new SimpleStringSchema())
                                                                .build()))
                                        .uid("late-sink")
                                        .name("Kafka late words: " + topic));
    }
}
