package dev.flinkref.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Docker engine of the test's own: Debian's {@code dockerd} with its data root, exec root
 * and socket in private folders (vfs storage, no bridge: containers use the host network), so it
 * never meets another engine on the machine. {@link #close()} removes every container, stops the
 * daemon by PID and deletes its data root, images included.
 */
final class DockerEngine implements AutoCloseable {
    static final String PACKAGES = "apt-get install docker.io docker-registry debootstrap";

    private final Path dataRoot;
    private final Path execRoot;
    private final Path log;
    private final ManagedProcess dockerd;
    private final Thread shutdownHook = new Thread(this::close, "docker-engine-stop");
    private boolean closed;

    private DockerEngine(Path dataRoot, Path execRoot, Path log, ManagedProcess dockerd) {
        this.dataRoot = dataRoot;
        this.execRoot = execRoot;
        this.log = log;
        this.dockerd = dockerd;
    }

    /** Why no engine can start here, if it cannot: one line, for the tests' skip message. */
    static Optional<String> unavailableReason() {
        if (!isRoot()) {
            return Optional.of("not root: dockerd, debootstrap and docker import need root");
        }
        for (String program :
                List.of("dockerd", "docker", "docker-registry", "debootstrap", "kubectl")) {
            if (!Shell.onPath(program)) {
                return Optional.of("no " + program + " on the PATH (" + PACKAGES + ")");
            }
        }
        return Optional.empty();
    }

    static DockerEngine start(Path workDir) throws IOException, InterruptedException {
        Path dataRoot = workDir.resolve("docker-data");
        Files.createDirectories(dataRoot);
        // The socket path must stay short (a unix socket path has ~100 bytes): under /tmp.
        Path execRoot = Files.createTempDirectory(Path.of("/tmp"), "dkr-");
        Path log = workDir.resolve("logs/dockerd.log");
        Files.createDirectories(log.getParent());
        ManagedProcess dockerd =
                ManagedProcess.start(
                        "dockerd",
                        List.of(
                                "dockerd",
                                "--storage-driver=vfs",
                                "--iptables=false",
                                "--bridge=none",
                                "--data-root=" + dataRoot,
                                "--exec-root=" + execRoot,
                                "--pidfile=" + execRoot.resolve("dockerd.pid"),
                                "--host=unix://" + execRoot.resolve("d.sock")),
                        Map.of(),
                        log);
        DockerEngine engine = new DockerEngine(dataRoot, execRoot, log, dockerd);
        // A test JVM ended by a timeout (SIGTERM) still stops the engine and removes its data.
        Runtime.getRuntime().addShutdownHook(engine.shutdownHook);
        try {
            engine.awaitUp(Duration.ofSeconds(60));
        } catch (RuntimeException | InterruptedException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    private void awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (tryDocker(Duration.ofSeconds(20), "version").exitCode() == 0) {
                return;
            }
            if (!dockerd.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "dockerd did not come up ("
                                + (dockerd.isAlive() ? "timeout" : "exited")
                                + "):\n"
                                + logTail());
            }
            Thread.sleep(250);
        }
    }

    /** The environment that points a docker client (or a script calling one) at this engine. */
    Map<String, String> env() {
        return Map.of("DOCKER_HOST", "unix://" + execRoot.resolve("d.sock"));
    }

    /** {@code docker ARGS}, its output; a non-zero exit throws with the output. */
    String docker(Duration timeout, String... args) {
        return Shell.check(command(args), env(), timeout, log.resolveSibling("docker.log"));
    }

    Shell.Result tryDocker(Duration timeout, String... args) {
        return Shell.run(command(args), env(), timeout, null);
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return command;
    }

    private String logTail() {
        try {
            return Shell.tail(Files.readString(log), 3_000);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
        if (dockerd.isAlive()) {
            String ids = tryDocker(Duration.ofSeconds(30), "ps", "-aq").output().trim();
            if (!ids.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(List.of(ids.split("\\s+")));
                tryDocker(Duration.ofMinutes(2), rm.toArray(String[]::new));
            }
        }
        dockerd.stop();
        // dockerd leaves its network namespace bind-mounted under the exec root.
        Shell.run(
                List.of("umount", execRoot.resolve("netns/default").toString()),
                Map.of(),
                Duration.ofSeconds(30),
                null);
        Shell.run(
                List.of("rm", "-rf", dataRoot.toString(), execRoot.toString()),
                Map.of(),
                Duration.ofMinutes(5),
                null);
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }
}
