package dev.flinkref.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optimized operator against the reference function on long random runs: 400 addresses, 20 % of
 * events invalid, a TTL of 2 s of event time (machines expire and restart), events up to 0.5 s out
 * of order, a watermark every 25 events. Each run is checkpointed and rescaled 2 -> 3, stopped with
 * a savepoint and restored at 1, checkpointed and rescaled 1 -> 4. After every phase the two must
 * agree exactly on every alert (in order), every stored machine (state, last activity), the number
 * of timers, live machines and expired machines. The optimized operator runs with caches of 1
 * (every event written through), 16 (flushed when full, all the time) and 100,000 (flushed only by
 * due timers and savepoints).
 */
class StateMachineEquivalenceTest {
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final int ADDRESSES = 400;
    private static final int EVENTS_PER_PHASE = 4_000;

    /** What one run looks like after a phase. */
    record Observation(
            String after,
            int alerts,
            List<Alert> lastAlerts,
            Map<Integer, HarnessJob.Machine> machines,
            int timers,
            long liveMachines,
            long expiredMachines) {}

    @ParameterizedTest(name = "optimized operator, cache {0}")
    @ValueSource(ints = {1, 16, 100_000})
    void theOptimizedOperatorBehavesExactlyAsTheReference(int cache) throws Exception {
        for (long seed : new long[] {1, 2, 3}) {
            List<Observation> reference = run(seed, Implementation.REFERENCE, 16, null);
            List<Observation> optimized = run(seed, Implementation.OPTIMIZED, cache, null);
            assertThat(optimized).as("seed %d", seed).containsExactlyElementsOf(reference);
            assertNotTrivial(reference);
        }
    }

    /** Savepoints are interchangeable: a job may switch implementation at any savepoint. */
    @Test
    void aJobSwitchingImplementationAtEachSavepointBehavesAsTheReference() throws Exception {
        List<Observation> reference = run(7, Implementation.REFERENCE, 16, null);
        List<Observation> switched = run(7, Implementation.OPTIMIZED, 16, Implementation.REFERENCE);
        assertThat(switched).containsExactlyElementsOf(reference);
        List<Observation> switchedBack =
                run(7, Implementation.REFERENCE, 16, Implementation.OPTIMIZED);
        assertThat(switchedBack).containsExactlyElementsOf(reference);
    }

    private static void assertNotTrivial(List<Observation> run) {
        Observation last = run.get(run.size() - 1);
        assertThat(last.alerts()).isGreaterThan(1_000);
        assertThat(run).allSatisfy(o -> assertThat(o.machines()).hasSizeGreaterThan(20));
        assertThat(run.stream().mapToLong(Observation::expiredMachines).sum()).isGreaterThan(100);
    }

    /**
     * Four phases of events; between them a checkpoint (rescale 2 -> 3), a savepoint (restore at 1,
     * with {@code afterSavepoint}'s code when given) and a checkpoint (rescale 1 -> 4).
     */
    private static List<Observation> run(
            long seed, Implementation implementation, int cache, Implementation afterSavepoint)
            throws Exception {
        Events events = new Events(seed);
        List<Observation> observations = new ArrayList<>();
        HarnessJob job = HarnessJob.start(implementation, TTL, cache, 2, null);
        try {
            events.feed(job);
            observations.add(observe("phase 1 at 2", job));
            job = job.restart(3, job.checkpoint());

            events.feed(job);
            observations.add(observe("phase 2 at 3", job));
            job =
                    job.restart(
                            afterSavepoint == null ? implementation : afterSavepoint,
                            1,
                            job.savepoint());

            events.feed(job);
            observations.add(observe("phase 3 at 1", job));
            job = job.restart(4, job.checkpoint());

            events.feed(job);
            observations.add(observe("phase 4 at 4", job));
        } finally {
            job.close();
        }
        return observations;
    }

    /**
     * The optimized operator holds changed machines in its cache; the savepoint taken here flushes
     * it (the reference has nothing to flush), so both backends can be compared.
     */
    private static Observation observe(String after, HarnessJob job) throws Exception {
        List<Alert> alerts = job.alerts();
        long expired = job.expiredMachines();
        job.savepoint();
        return new Observation(
                after,
                alerts.size(),
                alerts,
                job.machines(),
                job.timers(),
                job.liveMachines(),
                expired);
    }

    /** A seeded stream of events, continued across phases; mostly valid transitions. */
    private static final class Events {
        private final Random random;
        private final Map<Integer, State> model = new HashMap<>();
        private long time = 1_700_000_000_000L;

        Events(long seed) {
            random = new Random(seed);
        }

        void feed(HarnessJob job) throws Exception {
            long maxTimestamp = time;
            for (int i = 1; i <= EVENTS_PER_PHASE; i++) {
                time += random.nextInt(8);
                int address = 0x0A000000 + random.nextInt(ADDRESSES);
                long timestamp = time - random.nextInt(500);
                maxTimestamp = Math.max(maxTimestamp, timestamp);
                job.send(new Event(address, next(address), timestamp));
                if (i % 25 == 0) {
                    job.watermark(maxTimestamp - 1_000);
                }
                if (random.nextInt(400) == 0) {
                    time += 2_500; // a pause longer than the TTL: idle machines expire
                }
            }
        }

        /** A valid type for the modelled state 80 % of the time (the model ignores expiry). */
        private EventType next(int address) {
            State state = model.getOrDefault(address, State.INITIAL);
            List<EventType> valid = new ArrayList<>(state.transitions().keySet());
            valid.sort(null);
            EventType type =
                    valid.isEmpty() || random.nextInt(5) == 0
                            ? EventType.values()[random.nextInt(EventType.values().length)]
                            : valid.get(random.nextInt(valid.size()));
            State target = state.next(type).orElse(state);
            model.put(address, target == State.TERMINAL ? State.INITIAL : target);
            return type;
        }
    }
}
