package dev.flinkref.localcluster;

import dev.flinkref.testkit.kafka.KafkaTestClient;
import java.util.List;

/**
 * Fresh topics for one run of an example job (input, output, dead letters; named alike so that a
 * failed run's topics are easy to find) and the job arguments that point the job at them.
 */
public record JobTopics(String input, String output, String dlq) {

    /** Creates the topics, their names unique to this run and starting with {@code name}. */
    public static JobTopics create(KafkaTestClient kafka, String name) {
        String input = kafka.createUniqueTopic(name + "-in", 4);
        JobTopics topics =
                new JobTopics(
                        input, input.replace("-in-", "-out-"), input.replace("-in-", "-dlq-"));
        kafka.createTopic(topics.output, 2);
        kafka.createTopic(topics.dlq, 1);
        return topics;
    }

    /** The arguments both example jobs take; the input topic names the group and transactions. */
    public List<String> jobArgs(String bootstrapServers) {
        return List.of(
                "--bootstrap-servers", bootstrapServers,
                "--input-topic", input,
                "--output-topic", output,
                "--dlq-topic", dlq,
                "--group-id", input,
                "--transactional-id-prefix", input);
    }
}
