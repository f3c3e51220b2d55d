package dev.flinkref.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.localcluster.E2eData;
import dev.flinkref.localcluster.JobTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka broker (the only one: every topic, the transaction coordinator, the consumer group)
 * stopped for 60 s while the state machine has uncommitted output in flight, then started again on
 * the same data. Every alert a real Prometheus fires for the job meanwhile is printed with its time
 * relative to the outage.
 */
class BrokerOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final String JOB = "statemachine";
    private static final String RESTARTING = "FlinkJobRestarting";
    private static final String CHECKPOINTS_FAILING = "FlinkCheckpointsFailing";
    @RegisterExtension static final FaultStack stack = FaultStack.plain();

    @Test
    void theJobRidesOutAMinuteWithoutItsBrokerWithExactOutput() throws Exception {
        JobTopics topics = stack.topics("broker-60s");
        E2eData.Events events = E2eData.events(topics.input(), 41, 90_000, FaultStack.hourAgo());
        List<ProducerRecord<byte[], byte[]>> all = events.records();
        int third = all.size() / 3;
        stack.kafka.produce(topics.input(), all.subList(0, third));
        String job = stack.submit(JOB, topics);
        stack.awaitCheckpointsAfter(job, 0, Duration.ofMinutes(2));
        // In flight when the broker goes: read, not yet committed.
        stack.kafka.produce(topics.input(), all.subList(third, 2 * third));

        try (JobTimeline timeline = JobTimeline.of(stack, job)) {
            Instant down = Instant.now();
            stack.stack.kafka().stop();
            Thread.sleep(OUTAGE.toMillis() / 2);
            // What a rule could see of the outage itself: the source's consumer connections.
            String connections =
                    stack.prometheus
                            .query(
                                    "sum by (job_id)"
                                        + " ({__name__=~\".*KafkaSourceReader_KafkaConsumer_connection_count\","
                                        + " job_id=\""
                                            + job
                                            + "\"})")
                            .toString();
            Thread.sleep(
                    Math.max(0, OUTAGE.minus(Duration.between(down, Instant.now())).toMillis()));
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
            assertThat(stack.rest().jobState(job)).isEqualTo("RUNNING");

            // The sink's new transactional producer waits for the broker up to max.block.ms
            // (60 s), then fails the task: the outage shows as a restart and a failed checkpoint.
            assertThat(restarts).as("numRestarts").isPositive();
            Instant restartFired =
                    stack.alerts.awaitFiring(RESTARTING, JOB, job, down, Duration.ofMinutes(1));
            stack.alerts.awaitResolved(RESTARTING, JOB, job, Duration.ofMinutes(2));
            stack.alerts.awaitResolved(CHECKPOINTS_FAILING, JOB, job, Duration.ofMinutes(2));
            System.out.printf(
                    "broker down %.1f s (ready %.1f s after the start command); first checkpoint"
                            + " %.1f s after the broker was back (awaited: %.1f s); output exact"
                            + " %.1f s after (incl. the 5 s duplicate watch); restarts %d;"
                            + " checkpoints failed %d; %d alerts exact; %s fired %.1f s after the"
                            + " broker went down (rules %dx faster); consumer connections"
                            + " mid-outage: %s%n%s%s",
                    Duration.between(down, restart).toMillis() / 1000.0,
                    Duration.between(restart, up).toMillis() / 1000.0,
                    timeline.secondsUntil(up, s -> s.completed() > completedAtUp),
                    Duration.between(up, checkpointed).toMillis() / 1000.0,
                    Duration.between(up, exact).toMillis() / 1000.0,
                    restarts,
                    end.failed(),
                    events.expectedAlerts().size(),
                    RESTARTING,
                    Duration.between(down, restartFired).toMillis() / 1000.0,
                    stack.timeScale,
                    connections,
                    timeline.changes(down),
                    stack.alerts.changes(down));
        }
        stack.rest().cancel(job);
    }
}
