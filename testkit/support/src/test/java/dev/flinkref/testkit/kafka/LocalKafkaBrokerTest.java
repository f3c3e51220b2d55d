package dev.flinkref.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local broker is a real one: partitions, transactions, restarts. */
class LocalKafkaBrokerTest {
    private static LocalKafkaBroker broker;
    private static KafkaTestClient client;

    @BeforeAll
    static void start() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        broker = new LocalKafkaBroker(Files.createTempDirectory(tmp, "kafka-test-"));
        broker.start();
        client = new KafkaTestClient(broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        client.close();
        broker.stop();
    }

    @Test
    void producesAndReadsBackAcrossPartitions() {
        String topic = client.createUniqueTopic("plain", 4);
        List<String> values = IntStream.range(0, 1_000).mapToObj(i -> "v" + i).toList();

        client.produceStrings(topic, values, System.currentTimeMillis());

        List<ConsumerRecord<byte[], byte[]>> records = client.readCommitted(topic);
        assertThat(records)
                .extracting(r -> utf8(r.value()))
                .containsExactlyInAnyOrderElementsOf(values);
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2, 3);
        assertThat(client.endOffsets(topic).values()).containsOnly(250L);
    }

    @Test
    void readCommittedSkipsAbortedTransactions() {
        String topic = client.createUniqueTopic("tx", 1);
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("tx-" + topic)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, bytes("aborted")));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, bytes("committed")));
            producer.commitTransaction();
        }

        assertThat(client.readCommitted(topic))
                .extracting(r -> utf8(r.value()))
                .containsExactly("committed");
    }

    @Test
    void restartsOnTheSamePortWithItsData() {
        String topic = client.createUniqueTopic("restart", 2);
        client.produceStrings(topic, List.of("before"), System.currentTimeMillis());
        String bootstrap = broker.bootstrapServers();
        long firstPid = broker.pid();

        broker.stop();
        assertThat(ProcessHandle.of(firstPid)).isEmpty();
        broker.start();

        assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
        client.produceStrings(topic, List.of("after"), System.currentTimeMillis());
        assertThat(client.readCommitted(topic))
                .extracting(r -> utf8(r.value()))
                .containsExactlyInAnyOrder("before", "after");
    }

    private KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        transactionalId),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
