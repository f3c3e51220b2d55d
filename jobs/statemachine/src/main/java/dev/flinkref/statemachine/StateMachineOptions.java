package dev.flinkref.statemachine;

import dev.flinkref.common.options.KafkaOptions;
import dev.flinkref.common.options.Option;
import dev.flinkref.common.options.OptionParser;
import dev.flinkref.common.options.ParsedOptions;
import dev.flinkref.common.options.UsageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the state-machine job can be told.
 *
 * @param stateTtl how long an address may stay idle (in event time) before its machine is dropped
 * @param machineCache addresses per subtask kept on the heap between flushes to the state backend
 * @param implementation the optimized operator (default) or the plain reference function
 */
public record StateMachineOptions(
        KafkaOptions kafka,
        InputFormat inputFormat,
        Duration stateTtl,
        int machineCache,
        Implementation implementation) {
    static final String JOB_NAME = "statemachine";

    private static final KafkaOptions.Spec KAFKA = KafkaOptions.spec(JOB_NAME);
    private static final Option<InputFormat> INPUT_FORMAT =
            Option.choice("input-format", InputFormat.class, "How input events are encoded.")
                    .withDefault(InputFormat.JSON);
    private static final Option<Duration> STATE_TTL =
            Option.duration(
                            "state-ttl",
                            "An address idle this long (event time) is forgotten; its next event"
                                    + " starts from Initial.")
                    .withDefault(Duration.ofHours(1));
    private static final Option<Integer> MACHINE_CACHE =
            Option.positiveInt(
                            "machine-cache",
                            "N",
                            "Addresses per subtask kept on the heap between checkpoints (about"
                                    + " 120 bytes each); 1 writes every event through to RocksDB.")
                    .withDefault(100_000);
    private static final Option<Implementation> IMPLEMENTATION =
            Option.choice(
                            "implementation",
                            Implementation.class,
                            "optimized: the operator with a write-back machine cache; reference:"
                                    + " the plain KeyedProcessFunction it is tested against (no"
                                    + " cache, --machine-cache ignored). Same alerts, state names"
                                    + " and metrics; switch between them through a savepoint, not"
                                    + " a checkpoint.")
                    .withDefault(Implementation.OPTIMIZED);

    public static StateMachineOptions parse(String... args) {
        ParsedOptions parsed = parser().parse(args);
        Duration ttl = parsed.get(STATE_TTL);
        if (ttl.isZero()) {
            throw new UsageException(JOB_NAME + ": --state-ttl must be positive");
        }
        return new StateMachineOptions(
                KAFKA.from(parsed),
                parsed.get(INPUT_FORMAT),
                ttl,
                parsed.get(MACHINE_CACHE),
                parsed.get(IMPLEMENTATION));
    }

    static OptionParser parser() {
        List<Option<?>> options = new ArrayList<>(KAFKA.options());
        options.addAll(List.of(INPUT_FORMAT, STATE_TTL, MACHINE_CACHE, IMPLEMENTATION));
        return new OptionParser(
                JOB_NAME,
                "Runs a state machine per source address over Kafka events and writes an alert for"
                        + " every invalid transition, exactly-once.",
                options);
    }
}
