package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile builds what the manifests and the jobs expect, read statically (the container
 * tests in local-cluster build and run it): the base image defaults to the official Flink image of
 * exactly the version the jobs compile against (their Flink dependencies are provided by it), on
 * Java 17, pinned, and only a build argument can replace it; plugins go to their own directory
 * under plugins/; the image ends as the non-root flink user.
 */
class DockerfileIT {
    private static List<String> instructions() throws Exception {
        return Files.readString(RepoPaths.root().resolve("Dockerfile"))
                .replace("\\\n", " ")
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    @Test
    void baseImageIsTheOfficialFlinkTheJobsCompileAgainst() throws Exception {
        String flinkVersion = System.getProperty("flink.version");
        assertThat(flinkVersion)
                .as("system property flink.version (set by k8s/pom.xml)")
                .isNotBlank();

        List<String> instructions = instructions();
        assertThat(instructions)
                .filteredOn(line -> line.startsWith("FROM "))
                .as("Dockerfile FROM: the BASE_IMAGE build argument, the only FROM")
                .containsExactly("FROM ${BASE_IMAGE}");
        assertThat(instructions)
                .as(
                        "BASE_IMAGE defaults to the official image, Flink "
                                + flinkVersion
                                + ", Java 17")
                .startsWith("ARG BASE_IMAGE=flink:" + flinkVersion + "-scala_2.12-java17");
    }

    @Test
    void pluginsGoToTheirOwnDirectoryAndTheImageRunsAsFlink() throws Exception {
        List<String> instructions = instructions();
        String all = String.join("\n", instructions);

        assertThat(all)
                .as("S3 filesystem plugin in plugins/<name>/, never lib/")
                .contains("/opt/flink/plugins/s3-fs-hadoop/")
                .doesNotContain("/opt/flink/lib/");
        assertThat(all)
                .as("the build fails if the base image stops shipping the Prometheus reporter")
                .contains("/opt/flink/plugins/metrics-prometheus/flink-metrics-prometheus-");
        assertThat(instructions)
                .filteredOn(line -> line.startsWith("USER "))
                .as("the last USER is the image's non-root flink user")
                .last()
                .isEqualTo("USER flink");
        assertThat(instructions)
                .filteredOn(line -> line.startsWith("COPY "))
                .as("exactly one jar copied, into usrlib/")
                .singleElement()
                .asString()
                .contains("/opt/flink/usrlib/${JOB}.jar");
    }
}
