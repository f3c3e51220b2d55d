package dev.flinkref.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jobs are found, not listed: the three lists that Maven and kustomize need are in step with the
 * folders, every job has exactly its one manifest per mode (application and session), the two
 * agree, and nothing that serves every job names one.
 */
class JobDiscoveryIT {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    @Test
    void jobsPomListsEveryJobFolder() throws IOException {
        Path jobs = RepoPaths.root().resolve("jobs");
        List<String> modules = new ArrayList<>();
        Matcher module = MODULE.matcher(Files.readString(jobs.resolve("pom.xml")));
        while (module.find()) {
            modules.add(module.group(1));
        }
        try (Stream<Path> dirs = Files.list(jobs)) {
            assertThat(modules)
                    .as(
                            "jobs/pom.xml <modules> vs the folders jobs/*/pom.xml (scripts/new-job and"
                                    + " scripts/remove-job keep them in step)")
                    .containsExactlyInAnyOrderElementsOf(
                            dirs.filter(dir -> Files.isRegularFile(dir.resolve("pom.xml")))
                                    .map(dir -> dir.getFileName().toString())
                                    .toList());
        }
        assertThat(Job.names()).as("job modules").isSubsetOf(modules);
    }

    /**
     * Each job has exactly one manifest per mode: its FlinkDeployment in k8s/jobs (application
     * mode) and its FlinkSessionJob in k8s/session-jobs (session mode).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"k8s/jobs, FlinkDeployment", "k8s/session-jobs, FlinkSessionJob"})
    void everyJobHasItsOneManifestPerMode(String folder, String kind) throws Exception {
        Path dir = RepoPaths.root().resolve(folder);
        List<String> files;
        try (Stream<Path> yaml = Files.list(dir)) {
            files =
                    yaml.map(path -> path.getFileName().toString())
                            .filter(name -> name.endsWith(".yaml"))
                            .filter(name -> !name.equals("kustomization.yaml"))
                            .sorted()
                            .toList();
        }
        JsonNode kustomization =
                Yaml.documents(Files.readString(dir.resolve("kustomization.yaml"))).get(0);
        List<String> resources = new ArrayList<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));
        assertThat(resources)
                .as(folder + "/kustomization.yaml resources vs the files of " + folder)
                .containsExactlyInAnyOrderElementsOf(files);
        assertThat(files)
                .as(folder + ": one <job>.yaml per job under jobs/")
                .containsExactlyInAnyOrderElementsOf(
                        Job.names().stream().map(name -> name + ".yaml").toList());
        for (String file : files) {
            List<JsonNode> documents = Yaml.documents(Files.readString(dir.resolve(file)));
            assertThat(documents)
                    .as(folder + "/" + file + ": its job's " + kind + " and nothing else")
                    .singleElement()
                    .satisfies(d -> assertThat(d.path("kind").asText()).isEqualTo(kind))
                    .satisfies(
                            d ->
                                    assertThat(d.at("/metadata/name").asText() + ".yaml")
                                            .isEqualTo(file));
        }
    }

    /**
     * A job runs the same way in both modes: its session job has the entry class, arguments and
     * parallelism of its FlinkDeployment, and fetches its own shaded jar.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void sessionJobRunsTheJobAsItsDeploymentDoes(Job job) throws Exception {
        JsonNode application = manifest("k8s/jobs", job).at("/spec/job");
        JsonNode session = manifest("k8s/session-jobs", job).at("/spec/job");

        for (String field : List.of("entryClass", "args", "parallelism")) {
            assertThat(session.path(field))
                    .as("k8s/session-jobs/%s.yaml spec.job.%s vs k8s/jobs/%s.yaml", job, field, job)
                    .isEqualTo(application.path(field));
        }
        assertThat(session.path("jarURI").asText())
                .isEqualTo("https://JAR_REPOSITORY/" + job + "/VERSION/" + job + ".jar");
    }

    private static JsonNode manifest(String folder, Job job) throws IOException {
        return Yaml.documents(
                        Files.readString(
                                RepoPaths.root().resolve(folder).resolve(job.name() + ".yaml")))
                .get(0);
    }

    static List<Job> jobs() {
        return Job.all();
    }

    /**
     * A manifest holds only what is the job's own: an argument that restates the job's default
     * would hide a changed default and makes every manifest a copy of the options.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void manifestArgsDifferFromTheJobsDefaults(Job job) throws Exception {
        JsonNode spec =
                Yaml.documents(
                                Files.readString(
                                        RepoPaths.root()
                                                .resolve("k8s/jobs")
                                                .resolve(job.name() + ".yaml")))
                        .get(0)
                        .path("spec");
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", "from-env:9092"));
        spec.at("/job/args").forEach(arg -> args.add(arg.asText()));
        try (URLClassLoader loader =
                new URLClassLoader(
                        new URL[] {job.shadedJar().toUri().toURL()},
                        JobDiscoveryIT.class.getClassLoader())) {
            Method parse =
                    Class.forName(job.entryClass(), true, loader)
                            .getMethod("parseOptions", String[].class);
            Object withAll = parse.invoke(null, (Object) args.toArray(String[]::new));
            for (int i = 2; i < args.size(); i++) {
                boolean hasValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
                List<String> without = new ArrayList<>(args);
                without.subList(i, hasValue ? i + 2 : i + 1).clear();
                Object withoutIt = parse.invoke(null, (Object) without.toArray(String[]::new));
                assertThat(Objects.equals(withAll, withoutIt))
                        .as(
                                "k8s/jobs/%s.yaml: %s only restates the job's default: drop it",
                                job, hasValue ? args.get(i) + " " + args.get(i + 1) : args.get(i))
                        .isFalse();
                if (hasValue) {
                    i++;
                }
            }
        }
    }

    /**
     * What serves every job names none: the operations scripts' library, the kustomizations and
     * shared patches, monitoring, the local cluster's code and these checks (a list of names there
     * is where a team's own job would be missing).
     */
    @Test
    void nothingSharedNamesAJob() throws IOException {
        Path root = RepoPaths.root();
        List<Path> shared = new ArrayList<>();
        for (String dir :
                List.of(
                        "scripts/lib",
                        "k8s/base",
                        "k8s/overlays",
                        "k8s/components",
                        "k8s/session",
                        "k8s/monitoring",
                        "local-cluster/src/main",
                        "k8s/src/test/java")) {
            try (Stream<Path> files = Files.walk(root.resolve(dir))) {
                files.filter(Files::isRegularFile).forEach(shared::add);
            }
        }
        // ForkIT names the job it scaffolds in its copy; k8s/jobs/kustomization.yaml and
        // k8s/session-jobs/kustomization.yaml are the derived lists checked above.
        shared.removeIf(file -> file.getFileName().toString().equals("ForkIT.java"));
        List<String> found = new ArrayList<>();
        for (Path file : shared) {
            String text = Files.readString(file);
            for (String name : Job.names()) {
                if (Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w])")
                        .matcher(text)
                        .find()) {
                    found.add(root.relativize(file) + " names " + name);
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
