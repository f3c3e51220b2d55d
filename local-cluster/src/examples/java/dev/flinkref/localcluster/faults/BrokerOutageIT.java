package dev.flinkref.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.localcluster.E2eData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka broker (the only one: every topic, the transaction coordinator, the consumer group)
 * stopped for 60 s while the state machine has uncommitted output in flight, then started again
 * on the same data.
 */
class BrokerOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static FaultStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = FaultStack.start();
    }

    @AfterEach
    void cancelLeftoverJobs() throws Exception {
        stack.cancelRunningJobs();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theJobRidesOutAMinuteWithoutItsBrokerWithExactOutput() throws Exception {
        FaultStack.Topics topics = stack.topics("broker-60s");
        E2eData.Events events =
                E2eData.events(topics.input(), 41, 90_000, FaultStack.hourAgo());
        List<ProducerRecord<byte[], byte[]>> all = events.records();
        int third = all.size() / 3;
        stack.kafka.produce(topics.input(), all.subList(0, third));
        String job = stack.submit("statemachine", topics);
        stack.awaitCheckpointsAfter(job, 0, Duration.ofMinutes(2));
        // In flight when the broker goes: read, not yet committed.
        stack.kafka.produce(topics.input(), all.subList(third, 2 * third));

        try (JobTimeline timeline = JobTimeline.of(stack, job)) {
            Instant down = Instant.now();
            stack.stack.kafka().stop();
            Thread.sleep(OUTAGE.toMillis());
            Instant restart = Instant.now();
            stack.stack.kafka().start();
            Instant up = Instant.now();
            long completedAtUp = stack.completedCheckpoints(job);
            stack.kafka.produce(topics.input(), all.subList(2 * third, all.size()));
            stack.awaitCheckpointsAfter(job, completedAtUp, Duration.ofMinutes(3));
            Instant checkpointed = Instant.now();

            stack.assertExactWhileRunning(topics.output(), events.expectedAlerts());
            Instant exact = Instant.now();
            long restarts = stack.restarts(job);
            JobTimeline.Sample end = timeline.last();
            System.out.printf(
                    "broker down %.1f s (ready %.1f s after the start command); first checkpoint"
                            + " %.1f s after the broker was back (awaited: %.1f s); output exact"
                            + " %.1f s after (incl. the 5 s duplicate watch); restarts %d;"
                            + " checkpoints failed %d; %d alerts exact%n%s",
                    Duration.between(down, restart).toMillis() / 1000.0,
                    Duration.between(restart, up).toMillis() / 1000.0,
                    timeline.secondsUntil(up, s -> s.completed() > completedAtUp),
                    Duration.between(up, checkpointed).toMillis() / 1000.0,
                    Duration.between(up, exact).toMillis() / 1000.0,
                    restarts,
                    end.failed(),
                    events.expectedAlerts().size(),
                    timeline.changes(down));
            assertThat(stack.rest().jobState(job)).isEqualTo("RUNNING");
        }
        stack.rest().cancel(job);
    }
}
