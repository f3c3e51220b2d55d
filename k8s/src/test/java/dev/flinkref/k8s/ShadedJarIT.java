package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the image's usrlib/ gets: the job and its connector, not Flink, not a logging binding. */
class ShadedJarIT {
    private static Set<String> connectorClasses() throws Exception {
        Path connector =
                Path.of(
                        KafkaSource.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        try (JarFile jar = new JarFile(connector.toFile())) {
            return jar.stream().map(JarEntry::getName).collect(Collectors.toSet());
        }
    }

    static List<Job> jobs() {
        return Job.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void shadedJarHoldsTheJobAndItsConnectorOnly(Job job) throws Exception {
        String mainClass = job.entryClass();
        try (JarFile jar = new JarFile(job.shadedJar().toFile())) {
            List<String> entries = jar.stream().map(JarEntry::getName).toList();

            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(mainClass);
            assertThat(entries).contains(mainClass.replace('.', '/') + ".class");
            assertThat(entries)
                    .contains(
                            "org/apache/kafka/clients/producer/KafkaProducer.class",
                            "org/apache/flink/connector/kafka/source/KafkaSource.class",
                            "org/apache/flink/connector/kafka/sink/KafkaSink.class",
                            "dev/flinkref/common/kafka/KafkaConnectors.class");
            // Flink's own classes come from the image; a second copy breaks class loading. The only
            // org.apache.flink classes allowed are the Kafka connector's own.
            Set<String> connectorClasses = connectorClasses();
            assertThat(entries)
                    .filteredOn(e -> e.startsWith("org/apache/flink/") && e.endsWith(".class"))
                    .isNotEmpty()
                    .allMatch(connectorClasses::contains, "a class of flink-connector-kafka");
            assertThat(entries)
                    .noneMatch(e -> e.startsWith("org/slf4j/"))
                    .noneMatch(e -> e.startsWith("org/apache/logging/log4j/"))
                    .noneMatch(e -> e.startsWith("ch/qos/logback/"))
                    .noneMatch(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"));
            // The connector's factories are found through merged service files.
            assertThat(entries).anyMatch(e -> e.startsWith("META-INF/services/"));
        }
    }
}
