package dev.flinkref.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where things are: the repository root, the CRDs, a job's shaded jar. */
final class RepoPaths {
    /** Beside the repository, as CI and every developer machine have it. */
    static final String DEFAULT_CRD_DIR = "../shared/k8s-crds/flink-kubernetes-operator-1.15.0";

    private RepoPaths() {}

    /**
     * The repository root: the nearest directory above this module (surefire/failsafe set {@code
     * basedir} to it) that holds the Maven wrapper and this module.
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
     * The operator's CRDs: {@code -Dcrd.dir=...} if given, else {@value #DEFAULT_CRD_DIR} relative
     * to the repository root. In a git worktree the root has no {@code ../shared} of its own, so
     * the main checkout's is tried next. Elsewhere: {@code helm pull
     * flink-operator-repo/flink-kubernetes-operator --version 1.15.0 --untar} and point crd.dir at
     * the chart's {@code crds/} folder.
     */
    static Path crdDir() {
        String configured = System.getProperty("crd.dir", "");
        if (!configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(root().resolve(DEFAULT_CRD_DIR).normalize());
        mainCheckout().ifPresent(main -> candidates.add(main.resolve(DEFAULT_CRD_DIR).normalize()));
        return candidates.stream()
                .filter(Files::isDirectory)
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "no operator CRDs at "
                                                + candidates
                                                + "; set -Dcrd.dir to the operator 1.15.0 Helm"
                                                + " chart's crds/ folder"));
    }

    static Path shadedJar(String job) {
        return root().resolve("jobs").resolve(job).resolve("target").resolve(job + ".jar");
    }

    /**
     * The main checkout when the root is a git worktree: its {@code .git} is a file naming the
     * worktree's git dir, whose {@code commondir} leads to the main repository's {@code .git}.
     */
    private static Optional<Path> mainCheckout() {
        Path dotGit = root().resolve(".git");
        if (!Files.isRegularFile(dotGit)) {
            return Optional.empty();
        }
        try {
            String line = Files.readString(dotGit).trim();
            if (!line.startsWith("gitdir:")) {
                return Optional.empty();
            }
            Path gitDir = root().resolve(line.substring("gitdir:".length()).trim());
            Path commonDirFile = gitDir.resolve("commondir");
            if (!Files.isRegularFile(commonDirFile)) {
                return Optional.empty();
            }
            Path common = gitDir.resolve(Files.readString(commonDirFile).trim()).normalize();
            return Optional.ofNullable(common.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
