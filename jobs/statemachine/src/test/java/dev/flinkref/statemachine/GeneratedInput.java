package dev.flinkref.statemachine;

import dev.flinkref.common.kafka.KafkaInputRecord;
import dev.flinkref.statemachine.generator.EventEncoding;
import dev.flinkref.statemachine.generator.EventSequence;
import java.util.ArrayList;
import java.util.List;

/** A generated event sequence as the job would read it, with the alerts it must raise. */
record GeneratedInput(List<Event> events, List<Alert> expectedAlerts) {
    static GeneratedInput generate(
            long seed, int addresses, double invalidRatio, int count, long start) {
        EventSequence sequence = new EventSequence(seed, addresses, invalidRatio);
        List<Event> events = new ArrayList<>(count);
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EventSequence.Step step = sequence.next(start + i);
            events.add(step.event());
            if (step.expectedAlert() != null) {
                alerts.add(step.expectedAlert());
            }
        }
        return new GeneratedInput(events, alerts);
    }

    List<KafkaInputRecord> records(InputFormat format) {
        return events.stream()
                .map(
                        event ->
                                KafkaInputRecord.of(
                                        event.timestamp,
                                        EventEncoding.key(event),
                                        EventEncoding.encode(event, format)))
                .toList();
    }

    List<String> expectedAlertsJson() {
        return expectedAlerts.stream().map(AlertJson::encode).toList();
    }
}
