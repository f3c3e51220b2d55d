package dev.flinkref.statemachine;

import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.statemachine.generator.EventEncoding;
import java.util.List;

/**
 * The events before and after the committed savepoint, and the alerts that prove the machines
 * continued from their saved states. Phase 2's events are valid only from the saved states: had the
 * state been lost (every address back in Initial) they would raise different alerts.
 */
final class SavepointScenario {
    static final long T0 = 1_700_000_000_000L;
    static final String SAVEPOINT_RESOURCE = "/savepoints/statemachine-v1";

    /** Saved states: .1 W, .2 X, .3 Z, .4 Y, .5 W, .6 ended (Terminal). */
    static final List<KafkaInputRecord> PHASE_1 =
            List.of(
                    json(T0, "10.0.0.1", "a"),
                    json(T0 + 1, "10.0.0.2", "c"),
                    json(T0 + 2, "10.0.0.3", "c"),
                    json(T0 + 3, "10.0.0.3", "d"),
                    json(T0 + 4, "10.0.0.4", "a"),
                    json(T0 + 5, "10.0.0.4", "b"),
                    json(T0 + 6, "10.0.0.6", "c"),
                    json(T0 + 7, "10.0.0.6", "d"),
                    json(T0 + 8, "10.0.0.6", "g"),
                    json(T0 + 9, "10.0.0.5", "a"),
                    // Last, so that its alert shows every earlier event was processed.
                    json(T0 + 10, "10.0.0.5", "c"));

    static final Alert PHASE_1_ALERT = new Alert(0x0A000005, State.W, EventType.C, T0 + 10);

    static final List<KafkaInputRecord> PHASE_2 =
            List.of(
                    json(T0 + 10_000, "10.0.0.1", "b"),
                    json(T0 + 10_001, "10.0.0.1", "e"),
                    json(T0 + 10_002, "10.0.0.1", "g"),
                    json(T0 + 10_003, "10.0.0.2", "d"),
                    json(T0 + 10_004, "10.0.0.3", "g"),
                    json(T0 + 10_005, "10.0.0.4", "e"),
                    json(T0 + 10_006, "10.0.0.5", "a"),
                    json(T0 + 10_007, "10.0.0.6", "b"));

    /** With the saved states restored. */
    static final List<Alert> PHASE_2_ALERTS =
            List.of(
                    new Alert(0x0A000005, State.W, EventType.A, T0 + 10_006),
                    new Alert(0x0A000006, State.INITIAL, EventType.B, T0 + 10_007));

    /** Had the state been lost: every address in Initial; only 10.0.0.5's "a" is valid there. */
    static final List<Alert> PHASE_2_ALERTS_WITHOUT_STATE =
            List.of(
                    new Alert(0x0A000001, State.INITIAL, EventType.B, T0 + 10_000),
                    new Alert(0x0A000001, State.INITIAL, EventType.E, T0 + 10_001),
                    new Alert(0x0A000001, State.INITIAL, EventType.G, T0 + 10_002),
                    new Alert(0x0A000002, State.INITIAL, EventType.D, T0 + 10_003),
                    new Alert(0x0A000003, State.INITIAL, EventType.G, T0 + 10_004),
                    new Alert(0x0A000004, State.INITIAL, EventType.E, T0 + 10_005),
                    new Alert(0x0A000006, State.INITIAL, EventType.B, T0 + 10_007));

    private SavepointScenario() {}

    private static KafkaInputRecord json(long timestamp, String address, String type) {
        Event event = new Event(Ipv4.parse(address), EventType.ofLetter(type), timestamp);
        return KafkaInputRecord.of(
                timestamp, EventEncoding.key(event), EventEncoding.encode(event, InputFormat.JSON));
    }
}
