package dev.flinkref.__pkg__;

import dev.flinkref.common.options.KafkaOptions;
import dev.flinkref.common.options.OptionParser;
import dev.flinkref.common.options.ParsedOptions;
import java.util.ArrayList;

/**
 * Everything the __job__ job can be told: the standard Kafka options (topics, group and
 * transactional ids default to the job's name). Add the job's own options here, declared like
 * those of jobs/wordcount's {@code WordCountOptions}.
 */
public record __Job__Options(KafkaOptions kafka) {
    /** The module's name: the defaults of topics, consumer group and transactional ids. */
    static final String JOB_NAME = "__job__";

    private static final KafkaOptions.Spec KAFKA = KafkaOptions.spec(JOB_NAME);

    public static __Job__Options parse(String... args) {
        ParsedOptions parsed = parser().parse(args);
        return new __Job__Options(KAFKA.from(parsed));
    }

    static OptionParser parser() {
        return new OptionParser(
                JOB_NAME,
                "Counts the events of each key read from Kafka and writes the running count,"
                        + " exactly-once.",
                new ArrayList<>(KAFKA.options()));
    }
}
