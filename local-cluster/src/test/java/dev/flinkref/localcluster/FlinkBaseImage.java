package dev.flinkref.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The stand-in for {@code flink:2.2.0-scala_2.12-java17}, built from packages where no image can be
 * pulled: a Debian bookworm root filesystem from {@code debootstrap} (OpenJDK 17, jemalloc,
 * envsubst), {@code docker import}ed, then testkit/flink-image's Dockerfile on top with the
 * distribution testkit/flink-dist assembles, in the official image's layout. The root filesystem
 * tarball is cached in the module's target/ folder: later builds there skip debootstrap.
 */
final class FlinkBaseImage {
    static final String NAME = "flinkref/flink:2.2.0-scala_2.12-java17-standin";
    private static final String DEBIAN = "flinkref/debian-jre17:bookworm";
    private static final String SUITE = "bookworm";
    private static final String PACKAGES = "openjdk-17-jre-headless,libjemalloc2,gettext-base";

    private FlinkBaseImage() {}

    /** Builds the image into {@code engine}; returns its name. */
    static String build(DockerEngine engine, Path workDir, Path cacheDir) throws IOException {
        Path rootfs = rootFilesystem(workDir, cacheDir);
        engine.docker(Duration.ofMinutes(10), "import", rootfs.toString(), DEBIAN);
        Path context = context(workDir.resolve("base-image"));
        engine.docker(
                Duration.ofMinutes(20),
                "build",
                "--build-arg",
                "DEBIAN_JRE_IMAGE=" + DEBIAN,
                "-t",
                NAME,
                context.toString());
        Shell.check(
                List.of("rm", "-rf", context.toString()), Map.of(), Duration.ofMinutes(2), null);
        return NAME;
    }

    private static Path rootFilesystem(Path workDir, Path cacheDir) throws IOException {
        Path tarball = cacheDir.resolve("debian-" + SUITE + "-jre17.tar");
        if (Files.isRegularFile(tarball)) {
            return tarball;
        }
        Path target = workDir.resolve("rootfs");
        Path log = workDir.resolve("logs/debootstrap.log");
        Shell.check(
                List.of(
                        "debootstrap",
                        "--variant=minbase",
                        "--include=" + PACKAGES,
                        SUITE,
                        target.toString(),
                        mirror()),
                Map.of(),
                Duration.ofMinutes(20),
                log);
        // Package caches are half the size and no use in an image.
        Shell.check(
                List.of(
                        "sh",
                        "-c",
                        "rm -rf \"$0\"/var/cache/apt/archives/*.deb \"$0\"/var/lib/apt/lists/*",
                        target.toString()),
                Map.of(),
                Duration.ofMinutes(2),
                log);
        Files.createDirectories(cacheDir);
        Path partial = cacheDir.resolve(tarball.getFileName() + ".partial");
        Shell.check(
                List.of(
                        "tar",
                        "-C",
                        target.toString(),
                        "--numeric-owner",
                        "-cf",
                        partial.toString(),
                        "."),
                Map.of(),
                Duration.ofMinutes(10),
                log);
        Files.move(partial, tarball, StandardCopyOption.ATOMIC_MOVE);
        Shell.check(List.of("rm", "-rf", target.toString()), Map.of(), Duration.ofMinutes(5), log);
        return tarball;
    }

    /** The Debian mirror apt uses on this machine (deb822 or one-line sources), else Debian's. */
    static String mirror() throws IOException {
        Path sources = Path.of("/etc/apt");
        List<Path> files;
        try (Stream<Path> listed =
                Files.exists(sources.resolve("sources.list.d"))
                        ? Files.list(sources.resolve("sources.list.d"))
                        : Stream.empty()) {
            files = Stream.concat(Stream.of(sources.resolve("sources.list")), listed).toList();
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            String uri = null;
            for (String line : Files.readAllLines(file)) {
                String[] words = line.trim().split("\\s+");
                if (words[0].equals("deb") && words.length > 2 && words[2].equals(SUITE)) {
                    return words[1];
                }
                if (words[0].equals("URIs:") && words.length > 1) {
                    uri = words[1];
                }
                if (words[0].equals("Suites:") && uri != null && List.of(words).contains(SUITE)) {
                    return uri;
                }
            }
        }
        return "http://deb.debian.org/debian";
    }

    /**
     * The build context: the Dockerfile and entrypoint of testkit/flink-image, and flink/ laid out
     * as the official image's /opt/flink: lib/ (the distribution's jars and the application-mode
     * entry point), plugins/metrics-prometheus/, opt/flink-s3-fs-hadoop-*.jar (the official image
     * ships the S3 plugin there, not enabled), empty conf/, log/, usrlib/.
     */
    private static Path context(Path context) throws IOException {
        Shell.check(
                List.of("rm", "-rf", context.toString()), Map.of(), Duration.ofMinutes(2), null);
        Path flink = context.resolve("flink");
        Path dist = LocalStack.flinkHome();
        copyTree(dist.resolve("lib"), flink.resolve("lib"));
        Files.copy(entryPointJar(), flink.resolve("lib/testkit-flink-image.jar"));
        copyTree(
                dist.resolve("plugins/metrics-prometheus"),
                flink.resolve("plugins/metrics-prometheus"));
        copyTree(dist.resolve("plugins/s3-fs-hadoop"), flink.resolve("opt"));
        for (String empty : List.of("conf", "log", "usrlib")) {
            Files.createDirectories(flink.resolve(empty));
        }
        copyResource("Dockerfile", context);
        Path entrypoint = copyResource("docker-entrypoint.sh", context);
        Files.setPosixFilePermissions(entrypoint, PosixFilePermissions.fromString("rwxr-xr-x"));
        return context;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName().toString()));
            }
        }
    }

    private static Path copyResource(String name, Path dir) throws IOException {
        try (InputStream in = FlinkBaseImage.class.getResourceAsStream("/flink-image/" + name)) {
            if (in == null) {
                throw new IllegalStateException("/flink-image/" + name + " not on the classpath");
            }
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }

    /** testkit/flink-image's jar (StandaloneApplicationEntrypoint), from its properties. */
    private static Path entryPointJar() {
        try (InputStream in = FlinkBaseImage.class.getResourceAsStream("/flink-image.properties")) {
            if (in == null) {
                throw new IllegalStateException("flink-image.properties not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            Path jar = Path.of(properties.getProperty("jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(
                        jar + " missing: build it with ./mvnw -pl testkit/flink-image package");
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
