package dev.flinkref.localcluster.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkref.localcluster.Java;
import dev.flinkref.localcluster.PrometheusServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command ({@code scripts/demo}, after its build step): the demo process shows
 * committed output from the job on the multi-process cluster, and stopping it as Ctrl-C does
 * (SIGTERM) stops every process it started.
 */
class DemoIT {
    private static final Duration FIRST_OUTPUT = Duration.ofMinutes(4);

    @TempDir Path work;

    private boolean prometheusReady;

    @Test
    void wordCountDemoPrintsCommittedWindowsAndStopsEverything() throws Exception {
        List<String> shown =
                runUntil(
                        WordCountDemo.class,
                        line ->
                                line.matches(
                                        "window \\S+-\\S+ +[1-9]\\d* words, +\\d+ distinct:.*"),
                        2);
        assertThat(shown).allSatisfy(line -> assertThat(line).contains("="));
    }

    @Test
    void stateMachineDemoPrintsOnlyExpectedAlertsAndStopsEverything() throws Exception {
        // With scripts/demo --prometheus where a prometheus binary is installed.
        boolean prometheus = PrometheusServer.available();
        List<String> shown =
                runUntil(
                        StateMachineDemo.class,
                        line -> line.startsWith("alert "),
                        3,
                        "-Ddemo.prometheus=" + prometheus);
        assertThat(shown).allSatisfy(line -> assertThat(line).contains("(expected)"));
        if (prometheus) {
            assertThat(prometheusReady).as("the printed Prometheus URL answered ready").isTrue();
        }
    }

    /**
     * Starts the demo as the script does (repository root as working directory), returns the first
     * {@code count} lines matching {@code wanted}, then stops it with SIGTERM and checks that it
     * and all of its descendants (Kafka, S3Proxy, JobManager, TaskManagers) are gone.
     */
    private List<String> runUntil(
            Class<?> demo, Predicate<String> wanted, int count, String... jvmFlags)
            throws Exception {
        Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        Path log = work.resolve("demo.err");
        Process process =
                new ProcessBuilder(
                                Java.executable(),
                                "-Djava.io.tmpdir=" + work,
                                jvmFlags.length > 0 ? jvmFlags[0] : "-Ddemo=true",
                                "-cp",
                                System.getProperty("java.class.path"),
                                demo.getName(),
                                work.resolve("demo").toString())
                        .directory(root.toFile())
                        .redirectError(log.toFile())
                        .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader out =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                out.lines().forEach(lines::add);
                            } catch (Exception e) {
                                // The process ended; what it printed is in the queue.
                            }
                        },
                        "demo-stdout");
        reader.setDaemon(true);
        reader.start();

        List<String> shown = new ArrayList<>();
        List<String> all = new ArrayList<>();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + FIRST_OUTPUT.toNanos();
            while (shown.size() < count && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    all.add(line);
                    if (line.startsWith("Prometheus:   http://")) {
                        String url = line.split("\\s+")[1];
                        prometheusReady = answersReady(url);
                    }
                    if (wanted.test(line)) {
                        shown.add(line);
                    }
                }
                if (!process.isAlive()) {
                    break;
                }
            }
            process.descendants().forEach(started::add);
        } finally {
            process.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
        }
        assertThat(shown)
                .as("demo output within %s:%n%s%nstderr: %s", FIRST_OUTPUT, all, tail(log))
                .hasSize(count);
        assertThat(all).anyMatch(line -> line.startsWith("Flink Web UI: http://127.0.0.1:"));

        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the demo exits").isTrue();
        assertThat(started).as("processes the demo started").hasSizeGreaterThanOrEqualTo(4);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (started.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(started.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid))
                .as("processes still running after the demo stopped")
                .isEmpty();
        return shown;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (Exception e) {
            return "(no stderr: " + e + ")";
        }
    }

    private static boolean answersReady(String prometheusUrl) {
        try {
            return java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(prometheusUrl + "/-/ready"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
