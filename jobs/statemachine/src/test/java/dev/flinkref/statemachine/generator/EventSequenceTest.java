package dev.flinkref.statemachine.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.statemachine.Alert;
import dev.flinkref.statemachine.Event;
import dev.flinkref.statemachine.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventSequenceTest {
    @Test
    void sameSeedSameEvents() {
        assertThat(run(7, 10_000)).isEqualTo(run(7, 10_000));
        assertThat(run(7, 1_000)).isNotEqualTo(run(8, 1_000));
    }

    @Test
    void expectedAlertsAreExactlyTheInvalidTransitions() {
        EventSequence sequence = new EventSequence(3, 50, 0.05);
        Map<Integer, State> states = new HashMap<>();
        List<Alert> modelAlerts = new ArrayList<>();
        List<Alert> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            EventSequence.Step step = sequence.next(i);
            Event event = step.event();
            State state = states.getOrDefault(event.address, State.INITIAL);
            Optional<State> next = state.next(event.type);
            if (next.isEmpty()) {
                modelAlerts.add(new Alert(event.address, state, event.type, event.timestamp));
            } else if (next.get() == State.TERMINAL) {
                states.remove(event.address);
            } else {
                states.put(event.address, next.get());
            }
            if (step.expectedAlert() != null) {
                expected.add(step.expectedAlert());
            }
        }
        assertThat(modelAlerts).isEqualTo(expected);
        assertThat(expected).hasSize((int) sequence.invalidEvents());
        assertThat(sequence.invalidEvents()).isBetween(800L, 1_200L);
        assertThat(sequence.completedMachines()).isPositive();
    }

    @Test
    void noInvalidEventsAtRatioZero() {
        EventSequence sequence = new EventSequence(1, 10, 0);
        for (int i = 0; i < 5_000; i++) {
            assertThat(sequence.next(i).expectedAlert()).isNull();
        }
    }

    private static List<String> run(long seed, int count) {
        EventSequence sequence = new EventSequence(seed, 100, 0.01);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(sequence.next(i).event().toString());
        }
        return events;
    }
}
