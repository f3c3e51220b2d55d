package dev.flinkref.localcluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The container tests' input and exact output for the two example jobs ({@link E2eData}). */
final class ExampleSamples {
    private static final Duration WINDOW = Duration.ofSeconds(5);

    private ExampleSamples() {}

    /** An hour ago, at a window boundary: event time far enough back to be final at once. */
    private static long start() {
        long start = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        return start - Math.floorMod(start, WINDOW.toMillis());
    }

    private static <T> List<List<T>> thirds(List<T> all) {
        int third = all.size() / 3;
        return List.of(
                new ArrayList<>(all.subList(0, third)),
                new ArrayList<>(all.subList(third, 2 * third)),
                new ArrayList<>(all.subList(2 * third, all.size())));
    }

    /** Lines with timestamps; a last part that flushes every window. */
    public static final class WordCount implements JobSample {
        @Override
        public String job() {
            return "wordcount";
        }

        @Override
        public Inputs inputs(String topic) {
            long start = start();
            E2eData.Lines lines = E2eData.lines(topic, 9_000, start, 20, WINDOW.toMillis());
            List<List<ProducerRecord<byte[], byte[]>>> parts = thirds(lines.records());
            parts.get(2).addAll(E2eData.flush(topic, 4, start + Duration.ofMinutes(50).toMillis()));
            return new Inputs(
                    parts, "flink_taskmanager_job_task_operator_linesIn", lines.expectedCounts());
        }
    }

    /** Generated events of 12 machines, some transitions invalid. */
    public static final class StateMachine implements JobSample {
        @Override
        public String job() {
            return "statemachine";
        }

        @Override
        public Inputs inputs(String topic) {
            E2eData.Events events = E2eData.events(topic, 12, 60_000, start());
            return new Inputs(
                    thirds(events.records()),
                    "flink_taskmanager_job_task_operator_eventsIn",
                    events.expectedAlerts());
        }
    }
}
