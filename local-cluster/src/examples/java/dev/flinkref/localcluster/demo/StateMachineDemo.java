package dev.flinkref.localcluster.demo;

import dev.flinkref.localcluster.LocalStack;
import dev.flinkref.statemachine.AlertJson;
import dev.flinkref.statemachine.InputFormat;
import dev.flinkref.statemachine.generator.EventEncoding;
import dev.flinkref.statemachine.generator.EventSequence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code scripts/demo statemachine}: the local stack, the state-machine job's shaded jar submitted
 * over REST, the event generator feeding 1000 machines with 1% invalid events (and a malformed
 * record now and then, for the dead-letter topic), and every committed alert printed with whether
 * the generator expected it.
 */
public final class StateMachineDemo {
    private static final String INPUT = "statemachine-input";
    private static final String OUTPUT = "statemachine-output";
    private static final String DLQ = "statemachine-dlq";
    private static final int EVENTS_PER_SECOND = 500;

    private static final Set<String> EXPECTED = ConcurrentHashMap.newKeySet();
    private static final AtomicLong EVENTS = new AtomicLong();

    private StateMachineDemo() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : ".local/demo");
        LocalStack stack = DemoStack.start(work);
        String job = DemoStack.submit(stack, "statemachine", Map.of(INPUT, 4, OUTPUT, 1, DLQ, 1));
        Thread generator = new Thread(() -> generate(stack.bootstrapServers()), "generator");
        generator.setDaemon(true);
        generator.start();
        System.out.printf(
                "Generating %d events/s for 1000 machines, 1%% invalid. Alerts appear when a"
                        + " checkpoint commits them (every 2 s). Ctrl-C stops everything.%n%n",
                EVENTS_PER_SECOND);
        printAlerts(stack, job);
    }

    private static void generate(String bootstrapServers) {
        EventSequence sequence = new EventSequence(System.nanoTime(), 1000, 0.01);
        Map<String, Object> config =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 1; ; i++) {
                EventSequence.Step step = sequence.next(System.currentTimeMillis());
                if (step.expectedAlert() != null) {
                    EXPECTED.add(AlertJson.encode(step.expectedAlert()));
                }
                producer.send(
                        new ProducerRecord<>(
                                INPUT,
                                null,
                                step.event().timestamp,
                                EventEncoding.key(step.event()),
                                EventEncoding.encode(step.event(), InputFormat.JSON)));
                EVENTS.incrementAndGet();
                if (i % 5_000 == 0) {
                    producer.send(
                            new ProducerRecord<>(
                                    INPUT, "not json".getBytes(StandardCharsets.UTF_8)));
                }
                Thread.sleep(1000 / EVENTS_PER_SECOND);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printAlerts(LocalStack stack, String job) throws Exception {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.GROUP_ID_CONFIG, "statemachine-demo-printer",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long alerts = 0;
        long unexpected = 0;
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(OUTPUT, DLQ));
            while (stack.rest().jobState(job).equals("RUNNING")) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.topic().equals(DLQ)) {
                        System.out.println("dead letter: '" + record.value() + "'");
                        continue;
                    }
                    alerts++;
                    boolean expected = EXPECTED.remove(record.value());
                    unexpected += expected ? 0 : 1;
                    System.out.printf(
                            "alert %s %s  [%d events sent, %d alerts, %d unexpected]%n",
                            record.value(),
                            expected ? "(expected)" : "(NOT EXPECTED)",
                            EVENTS.get(),
                            alerts,
                            unexpected);
                }
            }
            System.out.println(
                    "The job is "
                            + stack.rest().jobState(job)
                            + "; see "
                            + stack.workDir().resolve("log"));
        }
    }
}
