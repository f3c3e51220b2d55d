package dev.flinkref.localcluster;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;

/**
 * What a running stack tells later invocations of the CLI: its PIDs, ports and URLs, in {@code
 * <work-dir>/stack.properties}. Written once the stack is up (atomically), removed on stop.
 */
final class StackState {
    static final String FILE = "stack.properties";

    private StackState() {}

    static void write(Path workDir, Map<String, String> values) throws IOException {
        Properties properties = new Properties();
        properties.putAll(values);
        Path tmp = workDir.resolve(FILE + ".tmp");
        try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            properties.store(writer, "local stack; remove only with scripts/local-cluster stop");
        }
        Files.move(tmp, workDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    static Properties read(Path workDir) throws IOException {
        Path file = workDir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    static void delete(Path workDir) throws IOException {
        Files.deleteIfExists(workDir.resolve(FILE));
    }
}
