package dev.flinkref.bench;

import dev.flinkref.wordcount.Tokenizer;
import dev.flinkref.wordcount.WordCount;
import dev.flinkref.wordcount.WordCountJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The peer of the word-count job, written as a Kafka Streams user would: the same tokenizer, 5 s
 * tumbling windows on record time, one final count per window (suppressed until it closes, as the
 * Flink job emits), {@code exactly_once_v2}, RocksDB window stores (the default), the same output
 * format.
 *
 * <p>Grace is {@link #GRACE}, not the Flink job's 1 s out-of-orderness: Kafka Streams has no
 * watermark aligned across input partitions, so a window task's stream time runs ahead with the
 * fastest upstream thread, and with 1 s of grace it dropped a sixth of the counts of a pre-loaded
 * topic as late (measured). The grace must cover the event-time skew between partitions.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, application id, threads, state dir.
 */
public final class KafkaStreamsWordCount {
    static final Duration GRACE = Duration.ofMinutes(5);

    private KafkaStreamsWordCount() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 6) {
            System.err.println(
                    "usage: KafkaStreamsWordCount BOOTSTRAP INPUT OUTPUT APP_ID THREADS STATE_DIR");
            System.exit(2);
        }
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, args[3]);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.parseInt(args[4]));
        config.put(StreamsConfig.STATE_DIR_CONFIG, args[5]);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

        long window = WordCountInput.WINDOW_MILLIS;
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(args[1], Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .flatMapValues(line -> Tokenizer.tokenize(new String(line, StandardCharsets.UTF_8)))
                .selectKey((key, word) -> word)
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(window), GRACE))
                .count()
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
                .toStream()
                .map(
                        (windowed, count) ->
                                KeyValue.pair(
                                        windowed.key(),
                                        WordCountJson.encode(
                                                new WordCount(
                                                        windowed.key(),
                                                        count,
                                                        windowed.window().start(),
                                                        windowed.window().end()))))
                .to(args[2], Produced.with(Serdes.String(), Serdes.String()));

        KafkaStreams streams = new KafkaStreams(builder.build(), config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    streams.close(Duration.ofSeconds(10));
                                    stopped.countDown();
                                }));
        streams.setUncaughtExceptionHandler(
                e -> {
                    e.printStackTrace();
                    System.exit(1);
                    return null;
                });
        streams.start();
        stopped.await();
    }
}
