package dev.flinkref.bench;

import dev.flinkref.statemachine.AlertJson;
import dev.flinkref.statemachine.InputFormat;
import dev.flinkref.statemachine.generator.EventEncoding;
import dev.flinkref.statemachine.generator.EventSequence;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state-machine input: {@code events} events of {@code machines} concurrent machines (1 % of
 * them invalid) from the job's own deterministic generator, written by address key to one topic per
 * format; and the exact alerts a correct job raises.
 */
final class StateMachineInput {
    final long events;
    final long liveMachines;
    final Map<InputFormat, Long> bytes;
    private final Map<String, Integer> expectedAlerts;
    private final int alertCount;

    private StateMachineInput(
            long events,
            long liveMachines,
            Map<InputFormat, Long> bytes,
            Map<String, Integer> expectedAlerts,
            int alertCount) {
        this.events = events;
        this.liveMachines = liveMachines;
        this.bytes = bytes;
        this.expectedAlerts = expectedAlerts;
        this.alertCount = alertCount;
    }

    /** Writes the same events to each {@code topics} entry's topic, in that entry's format. */
    static StateMachineInput load(
            Loader loader, Map<InputFormat, String> topics, int machines, long events, long seed) {
        EventSequence sequence = new EventSequence(seed, machines, 0.01);
        // Event time: one event per 10 µs of the last minutes; the broker bounds timestamps.
        long first = System.currentTimeMillis() - 600_000 - events / 100;
        Map<String, Integer> expected = new HashMap<>();
        Map<InputFormat, Long> bytes = new HashMap<>();
        BitSet seen = new BitSet();
        int alerts = 0;
        for (long i = 0; i < events; i++) {
            EventSequence.Step step = sequence.next(first + i / 100);
            seen.set(step.event().address - 0x0A000001);
            if (step.expectedAlert() != null) {
                expected.merge(AlertJson.encode(step.expectedAlert()), 1, Integer::sum);
                alerts++;
            }
            byte[] key = EventEncoding.key(step.event());
            for (Map.Entry<InputFormat, String> topic : topics.entrySet()) {
                byte[] value = EventEncoding.encode(step.event(), topic.getKey());
                bytes.merge(topic.getKey(), (long) value.length, Long::sum);
                loader.send(topic.getValue(), null, step.event().timestamp, key, value);
            }
        }
        loader.flush();
        long live = seen.cardinality() - sequence.completedMachines();
        return new StateMachineInput(events, live, bytes, expected, alerts);
    }

    int expectedAlerts() {
        return alertCount;
    }

    /** Exactly the expected alerts: none missing, none extra, none twice. */
    void verify(List<CommittedWatcher.Seen> output) {
        Map<String, Integer> actual = new HashMap<>();
        for (CommittedWatcher.Seen record : output) {
            actual.merge(new String(record.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        if (!actual.equals(expectedAlerts)) {
            long missing =
                    expectedAlerts.entrySet().stream()
                            .filter(e -> actual.getOrDefault(e.getKey(), 0) < e.getValue())
                            .count();
            throw new IllegalStateException(
                    "alerts not exact: "
                            + output.size()
                            + " read, "
                            + alertCount
                            + " expected, "
                            + missing
                            + " expected alerts missing or short");
        }
    }
}
