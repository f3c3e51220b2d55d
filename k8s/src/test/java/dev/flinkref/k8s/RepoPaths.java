package dev.flinkref.k8s;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are: the repository root, the CRDs, a job's shaded jar. */
final class RepoPaths {
    /** The operator whose CRDs are vendored under {@code k8s/crds/} and that scripts install. */
    static final String OPERATOR_VERSION = "1.15.0";

    /** The vendored CRDs, relative to the repository root. */
    static final String VENDORED_CRD_DIR = "k8s/crds/flink-kubernetes-operator-" + OPERATOR_VERSION;

    private RepoPaths() {}

    /**
     * The repository root: the nearest directory above this module (surefire/failsafe set {@code
     * basedir} to it) that holds the Maven wrapper and this module. Works the same from the root, a
     * module directory or a git worktree, since it only looks inside the checkout.
     */
    static Path root() {
        String basedir = System.getProperty("basedir");
        Path start = Path.of(basedir != null ? basedir : "").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))
                    && Files.isRegularFile(dir.resolve("k8s/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "cannot find the repository root (mvnw and k8s/pom.xml) above " + start);
    }

    /**
     * The operator's CRDs: {@code -Dcrd.dir=...} if given (e.g. a newer chart's {@code crds/}
     * folder under trial), else the copy vendored in the repository ({@value #VENDORED_CRD_DIR}).
     */
    static Path crdDir() {
        String configured = System.getProperty("crd.dir", "");
        Path dir =
                configured.isBlank()
                        ? vendoredCrdDir()
                        : Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(
                    "no operator CRDs at "
                            + dir
                            + (configured.isBlank()
                                    ? " (the repository's vendored copy is missing)"
                                    : " (from -Dcrd.dir)"));
        }
        return dir;
    }

    static Path vendoredCrdDir() {
        return root().resolve(VENDORED_CRD_DIR);
    }

    static Path shadedJar(String job) {
        return root().resolve("jobs").resolve(job).resolve("target").resolve(job + ".jar");
    }
}
