package dev.flinkref.wordcount;

import dev.flinkref.common.options.KafkaOptions;
import dev.flinkref.common.options.Option;
import dev.flinkref.common.options.OptionParser;
import dev.flinkref.common.options.ParsedOptions;
import dev.flinkref.common.options.UsageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the word-count job can be told.
 *
 * @param windowSize length of the tumbling event-time windows
 * @param maxOutOfOrderness how far behind the newest timestamp of a partition a record may be and
 *     still count in its window without lateness
 * @param idleness after how long without records a partition stops holding back the watermark; zero
 *     disables idleness
 * @param allowedLateness how long after a window fired a late record still updates it (the window
 *     then fires again with the new count)
 * @param lateTopic where records later than that go, if anywhere; they are counted either way
 */
public record WordCountOptions(
        KafkaOptions kafka,
        Duration windowSize,
        Duration maxOutOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Optional<String> lateTopic) {

    static final String JOB_NAME = "wordcount";

    private static final KafkaOptions.Spec KAFKA = KafkaOptions.spec(JOB_NAME);
    private static final Option<Duration> WINDOW_SIZE =
            Option.duration("window-size", "Tumbling event-time window length.")
                    .withDefault(Duration.ofSeconds(5));
    private static final Option<Duration> MAX_OUT_OF_ORDERNESS =
            Option.duration(
                            "max-out-of-orderness",
                            "How far a record may lag the newest timestamp of its partition"
                                    + " without being late.")
                    .withDefault(Duration.ofSeconds(1));
    private static final Option<Duration> IDLENESS =
            Option.duration(
                            "idleness",
                            "A partition without records for this long stops holding back the"
                                    + " watermark; 0 disables.")
                    .withDefault(Duration.ofSeconds(30));
    private static final Option<Duration> ALLOWED_LATENESS =
            Option.duration(
                            "allowed-lateness",
                            "How long a fired window still accepts late records (it then fires"
                                    + " again).")
                    .withDefault(Duration.ZERO);
    private static final Option<String> LATE_TOPIC =
            Option.string(
                    "late-topic",
                    "TOPIC",
                    "Topic for words later than the allowed lateness (always counted in the"
                            + " lateRecords metric).");

    public static WordCountOptions parse(String... args) {
        ParsedOptions parsed = parser().parse(args);
        Duration windowSize = parsed.get(WINDOW_SIZE);
        if (windowSize.isZero()) {
            throw new UsageException(JOB_NAME + ": --window-size must be positive");
        }
        return new WordCountOptions(
                KAFKA.from(parsed),
                windowSize,
                parsed.get(MAX_OUT_OF_ORDERNESS),
                parsed.get(IDLENESS),
                parsed.get(ALLOWED_LATENESS),
                parsed.find(LATE_TOPIC));
    }

    static OptionParser parser() {
        List<Option<?>> options = new ArrayList<>(KAFKA.options());
        options.addAll(
                List.of(WINDOW_SIZE, MAX_OUT_OF_ORDERNESS, IDLENESS, ALLOWED_LATENESS, LATE_TOPIC));
        return new OptionParser(
                JOB_NAME,
                "Counts words of Kafka lines in tumbling event-time windows, exactly-once.",
                options);
    }
}
