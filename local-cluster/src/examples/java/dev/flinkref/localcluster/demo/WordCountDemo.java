package dev.flinkref.localcluster.demo;

import dev.flinkref.localcluster.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The README's run command: the local stack (Kafka, S3, a Flink cluster of separate JobManager and
 * TaskManager processes), the word-count job's shaded jar submitted over REST, sample text fed in,
 * committed counts printed as they arrive. Ctrl-C stops everything it started.
 */
public final class WordCountDemo {
    private static final String INPUT = "wordcount-input";
    private static final String OUTPUT = "wordcount-output";
    private static final String DLQ = "wordcount-dlq";
    private static final Duration LINE_INTERVAL = Duration.ofMillis(100);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final Pattern COUNT =
            Pattern.compile(
                    "\\{\"word\":\"(.*)\",\"count\":(\\d+),\"window_start\":(\\d+),\"window_end\":(\\d+)\\}");

    private WordCountDemo() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : ".local/demo");
        LocalStack stack = DemoStack.start(work);
        String job =
                DemoStack.submit(
                        stack,
                        "wordcount",
                        Map.of(INPUT, 4, OUTPUT, 1, DLQ, 1),
                        "--idleness",
                        "2s");
        Thread feeder = new Thread(() -> feed(stack.bootstrapServers()), "feed-sample-text");
        feeder.setDaemon(true);
        feeder.start();
        System.out.println(
                "Feeding sample text ("
                        + (1000 / LINE_INTERVAL.toMillis())
                        + " lines/s). Counts appear when a checkpoint commits them (every 2 s)."
                        + " Ctrl-C stops everything.\n");
        printCommittedCounts(stack, job);
    }

    /** Sample lines, forever, with the current time as event time, keyed to all 4 partitions. */
    private static void feed(String bootstrapServers) {
        List<String> lines = sampleLines();
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; ; i++) {
                String line = lines.get((int) (i % lines.size()));
                producer.send(
                        new ProducerRecord<>(
                                INPUT,
                                (int) (i % 4),
                                System.currentTimeMillis(),
                                null,
                                line.getBytes(StandardCharsets.UTF_8)));
                Thread.sleep(LINE_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> sampleLines() {
        try (InputStream in = WordCountDemo.class.getResourceAsStream("/demo/sample.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("sample text missing", e);
        }
    }

    /** One line per window: its time range and the most frequent words. */
    private static void printCommittedCounts(LocalStack stack, String job) throws Exception {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.GROUP_ID_CONFIG, "wordcount-demo-printer",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(OUTPUT));
            // A window's counts come from both subtasks, committed moments apart: collect them
            // and print a window once a later one shows up or the output goes quiet.
            TreeMap<Long, Map<String, Long>> pending = new TreeMap<>();
            while (stack.rest().jobState(job).equals("RUNNING")) {
                var records = consumer.poll(Duration.ofSeconds(1));
                for (ConsumerRecord<String, String> record : records) {
                    Matcher count = COUNT.matcher(record.value());
                    if (count.matches()) {
                        pending.computeIfAbsent(
                                        Long.parseLong(count.group(3)), w -> new TreeMap<>())
                                .merge(count.group(1), Long.parseLong(count.group(2)), Long::sum);
                    }
                }
                while (!pending.isEmpty() && (records.isEmpty() || pending.size() > 1)) {
                    Map.Entry<Long, Map<String, Long>> window = pending.pollFirstEntry();
                    printWindow(window.getKey(), window.getValue());
                }
            }
            System.out.println(
                    "The job is "
                            + stack.rest().jobState(job)
                            + "; see "
                            + stack.workDir().resolve("log"));
        }
    }

    private static void printWindow(long start, Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder top = new StringBuilder();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> top.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        System.out.printf(
                "window %s-%s  %4d words, %3d distinct:%s%n",
                TIME.format(Instant.ofEpochMilli(start)),
                TIME.format(Instant.ofEpochMilli(start + 5_000)),
                total,
                counts.size(),
                top);
    }
}
