package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The manifests, the Dockerfile and the jobs agree: jar path, entry class, arguments. */
class CrossArtifactIT {
    private static final Pattern COPY_TARGET =
            Pattern.compile("(?m)^COPY .*jobs/\\$\\{JOB}/target/\\$\\{JOB}\\.jar (\\S+)$");

    @Test
    void everyDeploymentMatchesTheImageAndTheJob() throws Exception {
        String dockerfile = Files.readString(RepoPaths.root().resolve("Dockerfile"));
        Matcher copy = COPY_TARGET.matcher(dockerfile);
        assertThat(copy.find()).as("Dockerfile copies jobs/${JOB}/target/${JOB}.jar").isTrue();
        String jarInImage = copy.group(1);

        for (String overlay : List.of("overlays/local", "overlays/prod")) {
            List<JsonNode> deployments =
                    Manifests.ofKind(
                            Kustomize.render(RepoPaths.root().resolve("k8s").resolve(overlay)),
                            "FlinkDeployment");
            for (JsonNode deployment : deployments) {
                String job = deployment.at("/metadata/name").asText();
                String where = overlay + " FlinkDeployment/" + job;
                JsonNode spec = deployment.path("spec");

                assertThat(spec.at("/job/jarURI").asText())
                        .as(where + " spec.job.jarURI vs the Dockerfile's COPY target")
                        .isEqualTo("local://" + jarInImage.replace("${JOB}", job));
                assertThat(spec.path("image").asText())
                        .as(where + " image")
                        .contains("flink-" + job);

                String entryClass = spec.at("/job/entryClass").asText();
                try (JarFile jar = new JarFile(RepoPaths.shadedJar(job).toFile())) {
                    assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                            .as(where + " spec.job.entryClass vs the jar's Main-Class")
                            .isEqualTo(entryClass);
                    assertThat(jar.getEntry(entryClass.replace('.', '/') + ".class"))
                            .as(where + " entry class in " + RepoPaths.shadedJar(job))
                            .isNotNull();
                }
                assertArgsAccepted(where, entryClass, spec);
            }
        }
    }

    /** The job's own parser accepts the args, as main would in the pod (env included). */
    private static void assertArgsAccepted(String where, String entryClass, JsonNode spec)
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
        Method parse = Class.forName(entryClass).getMethod("parseOptions", String[].class);
        try {
            assertThat(parse.invoke(null, (Object) args.toArray(String[]::new))).isNotNull();
        } catch (InvocationTargetException e) {
            throw new AssertionError(
                    where
                            + " spec.job.args rejected by "
                            + entryClass
                            + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
