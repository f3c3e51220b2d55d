package dev.flinkref.localcluster.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.common.deadletter.DeadLetterSerializer;
import dev.flinkref.localcluster.E2eData;
import dev.flinkref.localcluster.JobTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Half the state machine's input undecodable, in five kinds: every poison record is in the
 * dead-letter topic exactly once with its reason, the valid events give exactly the alerts they
 * give alone, the job never restarts, FlinkDeadLetters fires for it (and not for the clean run) and
 * resolves once the flood is read; and the throughput with and without the poison, measured on the
 * same stack from the job's own counters.
 */
class PoisonFloodIT {
    private static final int EVENTS = 100_000;
    private static final String DECODED = "flink_taskmanager_job_task_operator_eventsIn";
    private static final String DEAD_LETTERS = "flink_taskmanager_job_task_operator_deadLetters";
    private static final String JOB = "statemachine";
    private static final String DEAD_LETTER_ALERT = "FlinkDeadLetters";
    @RegisterExtension static final FaultStack stack = FaultStack.plain();

    /** A kind of poison: its value for the i-th record, and the reason the job must give. */
    private enum Poison {
        NOT_UTF8("value is not valid UTF-8"),
        NOT_JSON(null),
        UNKNOWN_TYPE("unknown event type \"z\" (a..g)"),
        BAD_ADDRESS(null),
        TOMBSTONE("record has no value (tombstone)");

        /** The exact reason, or null where it is the JSON parser's own message. */
        final String reason;

        Poison(String reason) {
            this.reason = reason;
        }

        byte[] value(int i) {
            return switch (this) {
                case NOT_UTF8 -> new byte[] {'{', (byte) 0xC3, (byte) 0x28, (byte) i};
                case NOT_JSON -> ("poison " + i).getBytes(StandardCharsets.UTF_8);
                case UNKNOWN_TYPE ->
                        ("{\"address\":\"10.0.0.1\",\"type\":\"z\",\"n\":" + i + "}")
                                .getBytes(StandardCharsets.UTF_8);
                case BAD_ADDRESS ->
                        ("{\"address\":\"300.0.0." + (i % 256) + "\",\"type\":\"a\"}")
                                .getBytes(StandardCharsets.UTF_8);
                case TOMBSTONE -> null;
            };
        }
    }

    @Test
    void halfTheInputPoisonedIsDeadLetteredExactlyWithoutARestart() throws Exception {
        JobTopics clean = stack.topics("poison-baseline");
        E2eData.Events cleanEvents =
                E2eData.events(clean.input(), 51, 2 * EVENTS, FaultStack.hourAgo());
        stack.kafka.produce(clean.input(), cleanEvents.records());
        Instant baselineStart = Instant.now();
        Run baseline = run(clean, cleanEvents.records().size());
        stack.assertExactWhileRunning(clean.output(), cleanEvents.expectedAlerts());
        assertThat(
                        stack.alerts.wasActive(
                                DEAD_LETTER_ALERT, JOB, baseline.job, baselineStart, Instant.now()))
                .as("FlinkDeadLetters without dead letters")
                .isFalse();
        stack.rest().cancel(baseline.job);

        JobTopics topics = stack.topics("poison-flood");
        E2eData.Events events = E2eData.events(topics.input(), 52, EVENTS, FaultStack.hourAgo());
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>(2 * EVENTS);
        Map<String, Poison> poisonByKey = new HashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            ProducerRecord<byte[], byte[]> event = events.records().get(i);
            input.add(event);
            Poison poison = Poison.values()[i % Poison.values().length];
            String key = "poison-" + i;
            poisonByKey.put(key, poison);
            input.add(
                    new ProducerRecord<>(
                            topics.input(),
                            null,
                            event.timestamp(),
                            key.getBytes(StandardCharsets.UTF_8),
                            poison.value(i)));
        }
        stack.kafka.produce(topics.input(), input);
        Instant submitted = Instant.now();
        Run flood = run(topics, input.size());

        stack.assertExactWhileRunning(topics.output(), events.expectedAlerts());
        List<ConsumerRecord<byte[], byte[]>> deadLetters =
                stack.kafka.readCommitted(topics.dlq(), EVENTS, Duration.ofMinutes(2));
        Thread.sleep(3_000); // a duplicate would be committed by the next checkpoints
        deadLetters = stack.kafka.readCommitted(topics.dlq());
        Map<String, Integer> reasons = new TreeMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : deadLetters) {
            String key = new String(letter.key(), StandardCharsets.UTF_8);
            String reason = header(letter, DeadLetterSerializer.ERROR_MESSAGE);
            Poison poison = poisonByKey.get(key);
            assertThat(poison).as("dead letter %s is a poison record", key).isNotNull();
            if (poison.reason != null) {
                assertThat(reason).as(key).isEqualTo(poison.reason);
            }
            assertThat(header(letter, DeadLetterSerializer.ERROR_CLASS))
                    .isEqualTo("dev.flinkref.common.deadletter.MalformedRecordException");
            assertThat(letter.value())
                    .as("original value of " + key)
                    .isEqualTo(poison.value(Integer.parseInt(key.substring(7))));
            seen.merge(key, 1, Integer::sum);
            reasons.merge(poison + ": " + reason.replaceAll("[0-9]+", "N"), 1, Integer::sum);
        }
        assertThat(seen).as("every poison record dead-lettered once").hasSize(EVENTS);
        assertThat(seen.values()).containsOnly(1);
        assertThat(stack.restarts(flood.job)).as("numRestarts").isZero();
        Instant fired =
                stack.alerts.awaitFiring(
                        DEAD_LETTER_ALERT, JOB, flood.job, submitted, Duration.ofMinutes(1));
        Instant resolved =
                stack.alerts.awaitResolved(
                        DEAD_LETTER_ALERT, JOB, flood.job, Duration.ofMinutes(2));

        System.out.printf(
                "poison flood: %d records (%d events, %d poison); dead letters %d, by reason"
                        + " %s; baseline %d clean events %.0f records/s, with poison %.0f records/s"
                        + " (%.0f events/s); restarts %d; %s fired %.1f s after the job was"
                        + " submitted, resolved %.1f s after the last record was read (rules %dx"
                        + " faster)%n%s",
                input.size(),
                EVENTS,
                EVENTS,
                deadLetters.size(),
                reasons,
                cleanEvents.records().size(),
                baseline.recordsPerSecond,
                flood.recordsPerSecond,
                flood.recordsPerSecond / 2,
                stack.restarts(flood.job),
                DEAD_LETTER_ALERT,
                Duration.between(submitted, fired).toMillis() / 1000.0,
                Duration.between(flood.allRead, resolved).toMillis() / 1000.0,
                stack.timeScale,
                stack.alerts.changes(submitted));
        stack.rest().cancel(flood.job);
    }

    private record Run(String job, double recordsPerSecond, Instant allRead) {}

    /**
     * Submits the state machine on input already in its topic and measures how fast its decode
     * operator takes it all in: from the first counted record to the last, sampling the reporters.
     */
    private static Run run(JobTopics topics, int records) throws Exception {
        String job = stack.submit(JOB, topics);
        long first = -1;
        long firstCount = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            long count = stack.metricSum(DECODED, job) + stack.metricSum(DEAD_LETTERS, job);
            long now = System.nanoTime();
            if (first < 0 && count > 0) {
                first = now;
                firstCount = count;
            }
            if (count >= records) {
                double seconds = (now - first) / 1e9;
                return new Run(job, (records - firstCount) / seconds, Instant.now());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + job + " did not take in " + records + " records");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
