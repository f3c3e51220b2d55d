package dev.flinkref.localcluster;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A jar repository on loopback: what a FlinkSessionJob's jarURI points at (a Maven or raw
 * repository, an object store behind https). It serves {@code <root>/<host>/<path>} for GET {@code
 * /<host>/<path>}, so a jar published for jarURI {@code https://host/path} is fetched from {@link
 * #localUrl(String)} with the same host and path: the manifest's URL names the file.
 */
final class JarRepository implements AutoCloseable {
    private final Path root;
    private final HttpServer server;

    JarRepository(Path root) throws IOException {
        this.root = root;
        this.server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    Path file = root.resolve(exchange.getRequestURI().getPath().substring(1));
                    if (!"GET".equals(exchange.getRequestMethod())
                            || !file.normalize().startsWith(root)
                            || !Files.isRegularFile(file)) {
                        exchange.sendResponseHeaders(404, -1);
                        exchange.close();
                        return;
                    }
                    exchange.getResponseHeaders().add("Content-Type", "application/java-archive");
                    exchange.sendResponseHeaders(200, Files.size(file));
                    try (OutputStream body = exchange.getResponseBody()) {
                        Files.copy(file, body);
                    }
                });
        server.start();
    }

    /** Publishes {@code jar} where {@code jarUri} names it (scripts/session-jobs publish). */
    void publish(String jarUri, Path jar) throws IOException {
        URI uri = URI.create(jarUri);
        Path target = root.resolve(uri.getHost() + uri.getPath());
        Files.createDirectories(target.getParent());
        Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The loopback URL serving what {@code jarUri} names. */
    String localUrl(String jarUri) {
        URI uri = URI.create(jarUri);
        return "http://127.0.0.1:"
                + server.getAddress().getPort()
                + "/"
                + uri.getHost()
                + uri.getPath();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
