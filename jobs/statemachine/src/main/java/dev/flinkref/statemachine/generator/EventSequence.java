package dev.flinkref.statemachine.generator;

import dev.flinkref.statemachine.Alert;
import dev.flinkref.statemachine.Event;
import dev.flinkref.statemachine.EventType;
import dev.flinkref.statemachine.State;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic stream of events for {@code addresses} concurrent state machines: the same seed
 * gives the same events and the same expected alerts, so a run can be checked exactly.
 *
 * <p>Valid events follow the transitions with the weights of Flink's StateMachineExample; with
 * probability {@code invalidRatio} an address instead gets an event that has no transition from its
 * state, which the job must answer with exactly that alert. A machine that reaches Terminal is
 * replaced by a new address, so every address is used by one machine only.
 */
public final class EventSequence {
    /** Addresses start at 10.0.0.1 (and stay in 10.0.0.0/8 for up to 16 M machines). */
    static final int FIRST_ADDRESS = 0x0A000001;

    private static final Map<State, double[]> WEIGHTS = new EnumMap<>(State.class);

    static {
        // Probabilities per event type a..g, as in Flink's StateMachineExample.
        WEIGHTS.put(State.INITIAL, new double[] {0.6, 0, 0.4, 0, 0, 0, 0});
        WEIGHTS.put(State.W, new double[] {0, 1.0, 0, 0, 0, 0, 0});
        WEIGHTS.put(State.X, new double[] {0, 0.2, 0, 0.8, 0, 0, 0});
        WEIGHTS.put(State.Y, new double[] {0, 0, 0, 0, 1.0, 0, 0});
        WEIGHTS.put(State.Z, new double[] {0, 0, 0, 0, 0, 0, 1.0});
    }

    private final SplittableRandom random;
    private final double invalidRatio;
    private final int[] addresses;
    private final State[] states;
    private int nextAddress = FIRST_ADDRESS;
    private long events;
    private long invalid;
    private long completed;

    public EventSequence(long seed, int addresses, double invalidRatio) {
        if (addresses <= 0) {
            throw new IllegalArgumentException("addresses must be positive");
        }
        if (invalidRatio < 0 || invalidRatio > 1) {
            throw new IllegalArgumentException("invalid ratio must be within [0, 1]");
        }
        this.random = new SplittableRandom(seed);
        this.invalidRatio = invalidRatio;
        this.addresses = new int[addresses];
        this.states = new State[addresses];
        for (int i = 0; i < addresses; i++) {
            this.addresses[i] = nextAddress++;
            this.states[i] = State.INITIAL;
        }
    }

    /** One step: an event and, when it is deliberately invalid, the alert it must raise. */
    public record Step(Event event, Alert expectedAlert) {}

    public Step next(long timestamp) {
        int slot = random.nextInt(addresses.length);
        State state = states[slot];
        int address = addresses[slot];
        events++;
        if (random.nextDouble() < invalidRatio) {
            EventType type = invalidEventFor(state);
            invalid++;
            return new Step(
                    new Event(address, type, timestamp),
                    new Alert(address, state, type, timestamp));
        }
        EventType type = weighted(WEIGHTS.get(state));
        State next = state.next(type).orElseThrow();
        if (next == State.TERMINAL) {
            completed++;
            addresses[slot] = nextAddress++;
            states[slot] = State.INITIAL;
        } else {
            states[slot] = next;
        }
        return new Step(new Event(address, type, timestamp), null);
    }

    public long events() {
        return events;
    }

    public long invalidEvents() {
        return invalid;
    }

    public long completedMachines() {
        return completed;
    }

    private EventType invalidEventFor(State state) {
        List<EventType> candidates = new ArrayList<>();
        for (EventType type : EventType.values()) {
            if (state.next(type).isEmpty()) {
                candidates.add(type);
            }
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    private EventType weighted(double[] weights) {
        double pick = random.nextDouble();
        double sum = 0;
        int last = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                sum += weights[i];
                last = i;
                if (pick < sum) {
                    return EventType.ofCode(i);
                }
            }
        }
        return EventType.ofCode(last);
    }
}
