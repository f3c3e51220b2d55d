package dev.flinkref.__pkg__;

import dev.flinkref.common.env.JobEnvironment;
import dev.flinkref.common.kafka.KafkaConnectors;
import dev.flinkref.common.options.EffectiveOptions;
import dev.flinkref.common.options.JobCli;
import dev.flinkref.common.options.KafkaOptions;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Entry point: wires {@link __Job__Topology} to Kafka. Nothing else lives here. */
public final class __Job__Job {
    private __Job__Job() {}

    public static void main(String[] args) throws Exception {
        __Job__Options options = JobCli.parseOrExit(__Job__Options::parse, args);
        StreamExecutionEnvironment env =
                JobEnvironment.create(EffectiveOptions.of(__Job__Options.parser(), args));
        define(env, options);
        env.execute(__Job__Options.JOB_NAME);
    }

    /** Parses without exiting; the contract deployment checks use to validate manifest args. */
    public static __Job__Options parseOptions(String... args) {
        return __Job__Options.parse(args);
    }

    /** The whole job on {@code env}, Kafka included; separate from main for plan checks. */
    static void define(StreamExecutionEnvironment env, __Job__Options options) {
        KafkaOptions kafka = options.kafka();
        // No event time here: counts do not depend on it. A job with windows or timers sets its
        // watermark strategy on the source (see jobs/wordcount).
        __Job__Topology.Outputs outputs =
                __Job__Topology.build(
                        KafkaConnectors.input(env, kafka, WatermarkStrategy.noWatermarks()));

        outputs.counts()
                .sinkTo(
                        KafkaConnectors.sink(
                                kafka, "counts", new KeyCountSerializer(kafka.outputTopic())))
                .uid("kafka-sink")
                .name("Kafka: " + kafka.outputTopic());

        KafkaConnectors.sinkDeadLetters(outputs.deadLetters(), kafka);
    }
}
