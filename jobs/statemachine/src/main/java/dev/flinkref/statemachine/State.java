package dev.flinkref.statemachine;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The states of one source address's machine and its transitions (Flink's StateMachineExample):
 *
 * <pre>
 * Initial --a--> W --b--> Y --e--> Z --g--> Terminal
 *    \                    ^        ^
 *     \--c--> X ----b-----/        |
 *              \---------d---------/
 * </pre>
 *
 * An event without a transition from the current state is invalid: it raises an alert and leaves
 * the state as it was. Terminal is not stored: reaching it ends the machine.
 */
public enum State {
    INITIAL("Initial"),
    W("W"),
    X("X"),
    Y("Y"),
    Z("Z"),
    TERMINAL("Terminal");

    private static final Map<State, Map<EventType, State>> TRANSITIONS = new EnumMap<>(State.class);

    static {
        for (State state : values()) {
            TRANSITIONS.put(state, new EnumMap<>(EventType.class));
        }
        TRANSITIONS.get(INITIAL).put(EventType.A, W);
        TRANSITIONS.get(INITIAL).put(EventType.C, X);
        TRANSITIONS.get(W).put(EventType.B, Y);
        TRANSITIONS.get(X).put(EventType.B, Y);
        TRANSITIONS.get(X).put(EventType.D, Z);
        TRANSITIONS.get(Y).put(EventType.E, Z);
        TRANSITIONS.get(Z).put(EventType.G, TERMINAL);
    }

    private final String label;

    State(String label) {
        this.label = label;
    }

    /** The target state, or empty when {@code event} is invalid here. */
    public Optional<State> next(EventType event) {
        return Optional.ofNullable(TRANSITIONS.get(this).get(event));
    }

    /** The events with a transition from this state. */
    public Map<EventType, State> transitions() {
        return Map.copyOf(TRANSITIONS.get(this));
    }

    /** The name used in alerts: {@code Initial}, {@code W}, ... */
    public String label() {
        return label;
    }
}
