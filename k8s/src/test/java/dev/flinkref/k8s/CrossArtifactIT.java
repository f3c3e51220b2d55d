package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The manifests, the Dockerfile and the jobs agree: jar path, entry class, arguments. */
class CrossArtifactIT {
    private static final Pattern COPY_TARGET =
            Pattern.compile("(?m)^COPY .*jobs/\\$\\{JOB}/target/\\$\\{JOB}\\.jar (\\S+)$");

    static Stream<Arguments> deployments() {
        return Stream.of("overlays/local", "overlays/prod")
                .flatMap(overlay -> Job.all().stream().map(job -> Arguments.of(overlay, job)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void deploymentMatchesTheImageAndTheJob(String overlay, Job job) throws Exception {
        Path jarPath = job.shadedJar();
        JsonNode spec = deployment(overlay, job).path("spec");
        String where = "k8s/" + overlay + " FlinkDeployment/" + job;

        assertThat(spec.at("/job/jarURI").asText())
                .as(where + ": spec.job.jarURI vs the Dockerfile's COPY target")
                .isEqualTo("local://" + jarInImage().replace("${JOB}", job.name()));
        assertThat(spec.path("image").asText())
                .as(where + ": spec.image (built by scripts/build-images)")
                .contains("flink-" + job);

        String entryClass = spec.at("/job/entryClass").asText();
        assertThat(entryClass).as(where + ": spec.job.entryClass").isEqualTo(job.entryClass());
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .as(where + ": spec.job.entryClass vs the Main-Class of " + jarPath)
                    .isEqualTo(entryClass);
            assertThat(jar.getEntry(entryClass.replace('.', '/') + ".class"))
                    .as(where + ": spec.job.entryClass in " + jarPath)
                    .isNotNull();
        }
        assertArgsAccepted(where, jarPath, entryClass, spec);
    }

    /**
     * Exactly-once output is committed when a later checkpoint completes, so a sink transaction
     * lives for up to one interval plus the tolerated failed checkpoints and one more, each up to
     * the checkpoint timeout (an S3 outage expires them); the broker aborts it after the sinks'
     * transaction timeout (the jobs' {@code KafkaConnectors.TRANSACTION_TIMEOUT}). Half of that
     * timeout at most, so that a recovery still has time to commit the pending transaction.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deployments")
    void checkpointsCompleteWellWithinTheSinkTransactionTimeout(String overlay, Job job)
            throws Exception {
        job.shadedJar();
        JsonNode config = deployment(overlay, job).at("/spec/flinkConfiguration");
        Duration interval = duration(config, CheckpointingOptions.CHECKPOINTING_INTERVAL);
        Duration timeout = duration(config, CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        // Unset, Flink tolerates none.
        int tolerated = config.path(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER.key()).asInt(0);

        assertThat(interval.plus(timeout.multipliedBy(tolerated + 1)))
                .as(
                        "k8s/%s FlinkDeployment/%s: spec.flinkConfiguration %s + (%s + 1) x %s vs"
                                + " half the Kafka sink transaction timeout (%s)",
                        overlay,
                        job,
                        CheckpointingOptions.CHECKPOINTING_INTERVAL.key(),
                        CheckpointingOptions.TOLERABLE_FAILURE_NUMBER.key(),
                        CheckpointingOptions.CHECKPOINTING_TIMEOUT.key(),
                        transactionTimeout())
                .isLessThanOrEqualTo(transactionTimeout().dividedBy(2));
    }

    static Duration transactionTimeout() throws ReflectiveOperationException {
        return (Duration)
                Class.forName("dev.flinkref.common.kafka.KafkaConnectors")
                        .getField("TRANSACTION_TIMEOUT")
                        .get(null);
    }

    /** The manifest's value, or Flink's default where it sets none. */
    private static Duration duration(JsonNode config, ConfigOption<Duration> option) {
        JsonNode value = config.path(option.key());
        if (value.isMissingNode()) {
            assertThat(option.hasDefaultValue())
                    .as(option.key() + " has no default: set it in the manifests")
                    .isTrue();
            return option.defaultValue();
        }
        return TimeUtils.parseDuration(value.asText());
    }

    /** Where the Dockerfile puts a job's jar, with {@code ${JOB}} still in it. */
    private static String jarInImage() throws Exception {
        String dockerfile = Files.readString(RepoPaths.root().resolve("Dockerfile"));
        Matcher copy = COPY_TARGET.matcher(dockerfile);
        assertThat(copy.find())
                .as("Dockerfile copies jobs/${JOB}/target/${JOB}.jar into the image")
                .isTrue();
        return copy.group(1);
    }

    private static JsonNode deployment(String overlay, Job job) throws Exception {
        List<JsonNode> matching =
                Manifests.ofKind(
                                Kustomize.render(RepoPaths.root().resolve("k8s").resolve(overlay)),
                                "FlinkDeployment")
                        .stream()
                        .filter(d -> job.name().equals(d.at("/metadata/name").asText()))
                        .toList();
        assertThat(matching).as("k8s/" + overlay + ": FlinkDeployment/" + job).hasSize(1);
        return matching.get(0);
    }

    /**
     * The job's own parser, loaded from the shaded jar that goes into the image, accepts the args
     * as main would in the pod (bootstrap servers from the environment included).
     */
    static void assertArgsAccepted(String where, Path jarPath, String entryClass, JsonNode spec)
            throws Exception {
        List<String> args = new ArrayList<>();
        spec.at("/job/args").forEach(arg -> args.add(arg.asText()));
        boolean bootstrapFromEnv =
                spec.at("/podTemplate/spec/containers/0/env")
                        .findValuesAsText("name")
                        .contains("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrapFromEnv && !args.contains("--bootstrap-servers")) {
            args.addAll(List.of("--bootstrap-servers", "from-env:9092"));
        }
        try (URLClassLoader loader =
                new URLClassLoader(
                        new URL[] {jarPath.toUri().toURL()},
                        CrossArtifactIT.class.getClassLoader())) {
            Method parse =
                    Class.forName(entryClass, true, loader)
                            .getMethod("parseOptions", String[].class);
            assertThat(parse.invoke(null, (Object) args.toArray(String[]::new))).isNotNull();
        } catch (InvocationTargetException e) {
            throw new AssertionError(
                    where
                            + ": spec.job.args "
                            + args
                            + " rejected by "
                            + entryClass
                            + ".parseOptions: "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
