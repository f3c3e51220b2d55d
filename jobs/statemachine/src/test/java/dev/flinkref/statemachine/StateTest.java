package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every state against every event: the whole transition table, valid and invalid. */
class StateTest {
    // Rows: Initial, W, X, Y, Z, Terminal. Columns: a..g. "-" means invalid (an alert).
    private static final String[][] TABLE = {
        {"W", "-", "X", "-", "-", "-", "-"},
        {"-", "Y", "-", "-", "-", "-", "-"},
        {"-", "Y", "-", "Z", "-", "-", "-"},
        {"-", "-", "-", "-", "Z", "-", "-"},
        {"-", "-", "-", "-", "-", "-", "Terminal"},
        {"-", "-", "-", "-", "-", "-", "-"},
    };

    @Test
    void transitionTable() {
        State[] states = State.values();
        EventType[] events = EventType.values();
        for (int s = 0; s < states.length; s++) {
            for (int e = 0; e < events.length; e++) {
                Optional<String> expected =
                        TABLE[s][e].equals("-") ? Optional.empty() : Optional.of(TABLE[s][e]);
                assertThat(states[s].next(events[e]).map(State::label))
                        .as("%s on %s", states[s].label(), events[e].letter())
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void eventCodesAndLetters() {
        assertThat(EventType.ofCode(0)).isEqualTo(EventType.A);
        assertThat(EventType.ofCode(6)).isEqualTo(EventType.G);
        assertThat(EventType.ofCode(7)).isNull();
        assertThat(EventType.ofCode(-1)).isNull();
        assertThat(EventType.ofLetter("c")).isEqualTo(EventType.C);
        assertThat(EventType.ofLetter("h")).isNull();
        assertThat(EventType.ofLetter("A")).isNull();
        assertThat(EventType.ofLetter("ab")).isNull();
    }

    @Test
    void ipv4RoundTrips() {
        assertThat(Ipv4.format(Ipv4.parse("10.0.0.1"))).isEqualTo("10.0.0.1");
        assertThat(Ipv4.format(Ipv4.parse("255.255.255.255"))).isEqualTo("255.255.255.255");
        assertThat(Ipv4.parse("0.0.0.0")).isZero();
        assertThat(Ipv4.parse("192.168.1.2")).isEqualTo(0xC0A80102);
    }
}
