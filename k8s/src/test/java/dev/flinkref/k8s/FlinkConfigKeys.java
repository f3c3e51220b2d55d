package dev.flinkref.k8s;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * Every configuration key Flink 2.2 knows, read from Flink's own {@code ConfigOption} constants on
 * the test classpath (core, runtime, RocksDB, Kubernetes, Prometheus), so that a key Flink 2
 * removed or deprecated fails the build instead of being silently ignored in a cluster.
 *
 * <p>Keys Flink does not define as options are checked against lists kept here, each with its
 * source: the operator's own keys and the S3 filesystem's {@code s3.*} pass-through keys.
 */
final class FlinkConfigKeys {
    /**
     * The Flink Kubernetes Operator 1.15 keys a FlinkDeployment may set: the list, and where it
     * comes from, is in {@code operator-1.15-config-keys.txt} beside these tests.
     */
    static final Set<String> OPERATOR_KEYS = operatorKeys("/operator-1.15-config-keys.txt");

    /**
     * Keys of the flink-s3-fs-hadoop plugin, which Flink forwards to Hadoop's S3A rather than
     * declaring as options (Flink docs, Deployment -> Filesystems -> Amazon S3).
     */
    static final Set<String> S3_KEYS =
            Set.of(
                    "s3.endpoint",
                    "s3.path.style.access",
                    "s3.access-key",
                    "s3.secret-key",
                    "s3.entropy.key",
                    "s3.entropy.length",
                    // Mirrored to fs.s3a.attempts.maximum and fs.s3a.retry.limit (Hadoop's S3A
                    // documentation, "Retry and Recovery").
                    "s3.attempts.maximum",
                    "s3.retry.limit");

    private final Set<String> current = new HashSet<>();
    private final Map<String, String> deprecated = new HashMap<>();

    private FlinkConfigKeys() {}

    static FlinkConfigKeys fromClasspath() {
        FlinkConfigKeys keys = new FlinkConfigKeys();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (new File(entry).getName().startsWith("flink-") && entry.endsWith(".jar")) {
                keys.scan(entry);
            }
        }
        // A key some class marks deprecated may be current in another (moved options).
        keys.deprecated.keySet().removeAll(keys.current);
        if (keys.current.size() < 500) {
            throw new IllegalStateException(
                    "found only " + keys.current.size() + " Flink options; classpath incomplete?");
        }
        return keys;
    }

    /** Why {@code key} is wrong for Flink 2.2, or empty when it is a current key. */
    Optional<String> problem(String key) {
        if (current.contains(key) || OPERATOR_KEYS.contains(key) || S3_KEYS.contains(key)) {
            return Optional.empty();
        }
        if (deprecated.containsKey(key)) {
            return Optional.of("deprecated in Flink 2.2" + deprecated.get(key));
        }
        // metrics.reporter.<name>.<option>: the reporter options are declared without the prefix.
        String[] reporter = key.split("\\.", 4);
        if (key.startsWith("metrics.reporter.") && reporter.length == 4) {
            return current.contains(reporter[3])
                    ? Optional.empty()
                    : Optional.of("unknown reporter option '" + reporter[3] + "'");
        }
        if (key.startsWith("kubernetes.operator.") || key.startsWith("job.autoscaler.")) {
            return Optional.of(
                    "not a documented operator 1.15 key (operator-1.15-config-keys.txt)");
        }
        return Optional.of("not a Flink 2.2 configuration key");
    }

    private static Set<String> operatorKeys(String resource) {
        try (InputStream in = FlinkConfigKeys.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void scan(String jar) {
        try (JarFile file = new JarFile(jar)) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (!name.startsWith("org/apache/flink/") || name.contains("$")) {
                    continue;
                }
                String className = name.substring(0, name.length() - 6).replace('/', '.');
                if (name.endsWith("Options.class")) {
                    scanClass(className);
                } else if (name.endsWith("ReporterFactory.class")) {
                    scanReporterArguments(className);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + jar, e);
        }
    }

    /**
     * Some reporters read plain properties instead of options (the Prometheus reporter's {@code
     * port} is {@code PrometheusReporterFactory.ARG_PORT}); their {@code ARG_*} constants are the
     * keys they know.
     */
    private void scanReporterArguments(String className) {
        try {
            for (Field field : Class.forName(className).getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && field.getType() == String.class
                        && field.getName().startsWith("ARG_")) {
                    field.setAccessible(true);
                    current.add((String) field.get(null));
                }
            }
        } catch (Throwable e) {
            // not loadable here: its arguments stay unknown
        }
    }

    private void scanClass(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, getClass().getClassLoader());
        } catch (Throwable e) {
            return; // optional dependencies missing: not an option class we need
        }
        boolean classDeprecated = type.isAnnotationPresent(Deprecated.class);
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())
                    || !ConfigOption.class.isAssignableFrom(field.getType())) {
                continue;
            }
            ConfigOption<?> option;
            try {
                field.setAccessible(true);
                option = (ConfigOption<?>) field.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (option == null) {
                continue;
            }
            if (classDeprecated || field.isAnnotationPresent(Deprecated.class)) {
                deprecated.putIfAbsent(option.key(), "");
            } else {
                current.add(option.key());
            }
            for (FallbackKey fallback : option.fallbackKeys()) {
                if (fallback.isDeprecated()) {
                    deprecated.put(fallback.getKey(), ", use " + option.key());
                } else {
                    current.add(fallback.getKey());
                }
            }
        }
    }
}
