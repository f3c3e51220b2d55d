package dev.flinkref.common.options;

import java.util.List;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The Kafka options every job accepts. Topic, group and transactional-id defaults derive from the
 * job's name, so two different jobs never share them by accident.
 *
 * @param clientProperties extra client properties (SASL, TLS, ...) read from {@code
 *     --kafka-properties}, typically a file mounted from a Kubernetes Secret
 */
public record KafkaOptions(
        String bootstrapServers,
        String inputTopic,
        String outputTopic,
        String dlqTopic,
        String groupId,
        Properties clientProperties,
        boolean bounded,
        DeliveryGuarantee deliveryGuarantee,
        String transactionalIdPrefix) {

    public KafkaOptions {
        clientProperties = copy(clientProperties);
    }

    @Override
    public Properties clientProperties() {
        return copy(clientProperties);
    }

    /** The option declarations for a job called {@code jobName}. */
    public static Spec spec(String jobName) {
        return new Spec(jobName);
    }

    /** Declarations of the standard options, with defaults for one job. */
    public static final class Spec {
        public final Option<String> bootstrapServers =
                Option.string("bootstrap-servers", "HOST:PORT[,...]", "Kafka bootstrap servers.")
                        .withEnvFallback("KAFKA_BOOTSTRAP_SERVERS")
                        .required();
        public final Option<String> inputTopic;
        public final Option<String> outputTopic;
        public final Option<String> dlqTopic;
        public final Option<String> groupId;
        public final Option<String> kafkaProperties =
                KafkaClientProperties.option("source and sinks");
        public final Option<Boolean> bounded =
                Option.flag(
                        "bounded",
                        "Read up to the end offsets seen at the first start, then finish: the"
                                + " last windows fire and the last transaction commits. The end"
                                + " offsets are kept in the source's state, so a job restored"
                                + " from a savepoint or checkpoint (at any parallelism) still"
                                + " stops there and finishes; give the flag on every start of"
                                + " the same job alike.");
        public final Option<DeliveryGuarantee> deliveryGuarantee =
                Option.choice(
                                "delivery-guarantee",
                                DeliveryGuarantee.class,
                                "Kafka sink guarantee; exactly-once writes in transactions that"
                                        + " commit with each checkpoint.")
                        .withDefault(DeliveryGuarantee.EXACTLY_ONCE);
        public final Option<String> transactionalIdPrefix;

        private Spec(String jobName) {
            inputTopic =
                    Option.string("input-topic", "TOPIC", "Topic to read.")
                            .withDefault(jobName + "-input");
            outputTopic =
                    Option.string("output-topic", "TOPIC", "Topic to write results to.")
                            .withDefault(jobName + "-output");
            dlqTopic =
                    Option.string(
                                    "dlq-topic",
                                    "TOPIC",
                                    "Dead-letter topic: undecodable records, with the reason in"
                                            + " headers.")
                            .withDefault(jobName + "-dlq");
            groupId =
                    Option.string(
                                    "group-id",
                                    "GROUP",
                                    "Consumer group; offsets are committed on checkpoints and"
                                            + " used as the start position.")
                            .withDefault(jobName);
            transactionalIdPrefix =
                    Option.string(
                                    "transactional-id-prefix",
                                    "PREFIX",
                                    "Prefix of the sink's transactional ids; must be unique per"
                                            + " job on a Kafka cluster.")
                            .withDefault(jobName);
        }

        public List<Option<?>> options() {
            return List.of(
                    bootstrapServers,
                    inputTopic,
                    outputTopic,
                    dlqTopic,
                    groupId,
                    kafkaProperties,
                    bounded,
                    deliveryGuarantee,
                    transactionalIdPrefix);
        }

        public KafkaOptions from(ParsedOptions parsed) {
            Properties properties = KafkaClientProperties.from(parsed, kafkaProperties);
            return new KafkaOptions(
                    parsed.get(bootstrapServers),
                    parsed.get(inputTopic),
                    parsed.get(outputTopic),
                    parsed.get(dlqTopic),
                    parsed.get(groupId),
                    properties,
                    parsed.get(bounded),
                    parsed.get(deliveryGuarantee),
                    parsed.get(transactionalIdPrefix));
        }
    }

    private static Properties copy(Properties source) {
        Properties copy = new Properties();
        if (source != null) {
            copy.putAll(source);
        }
        return copy;
    }
}
