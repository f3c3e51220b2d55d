package dev.flinkref.k8s;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are: the repository root, the CRDs, a job's shaded jar. */
final class RepoPaths {
    private RepoPaths() {}

    static Path root() {
        String configured = System.getProperty("repo.root");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "cannot find the repository root (mvnw) above " + configured);
        }
        return dir.toAbsolutePath().normalize();
    }

    /**
     * The operator's CRDs: {@code -Dcrd.dir}, by default {@code ../shared/k8s-crds/...} beside the
     * repository. Elsewhere: {@code helm pull flink-operator-repo/flink-kubernetes-operator
     * --version 1.15.0 --untar} and point crd.dir at its {@code crds/} folder.
     */
    static Path crdDir() {
        String configured = System.getProperty("crd.dir");
        Path dir =
                configured != null
                        ? Path.of(configured)
                        : root().resolve("../shared/k8s-crds/flink-kubernetes-operator-1.15.0");
        return dir.toAbsolutePath().normalize();
    }

    static Path shadedJar(String job) {
        return root().resolve("jobs").resolve(job).resolve("target").resolve(job + ".jar");
    }
}
