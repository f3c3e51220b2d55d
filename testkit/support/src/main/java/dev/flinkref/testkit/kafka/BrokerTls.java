package dev.flinkref.testkit.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * TLS material for a broker listener on 127.0.0.1: a self-signed key pair whose certificate names
 * that IP (clients verify the host, as by default), and a truststore holding the certificate, as a
 * private CA's would be handed to clients. Made with the JDK's keytool.
 */
final class BrokerTls {
    private static final String PASSWORD = "test-only-store-password";

    private final Path keystore;
    private final Path truststore;

    private BrokerTls(Path keystore, Path truststore) {
        this.keystore = keystore;
        this.truststore = truststore;
    }

    /**
     * Creates the stores in {@code dir}, or reuses them (a restarted broker keeps its identity).
     */
    static BrokerTls in(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path keystore = dir.resolve("broker.p12");
        Path truststore = dir.resolve("truststore.p12");
        if (!Files.exists(truststore)) {
            Path certificate = dir.resolve("broker.crt");
            keytool(
                    "-genkeypair",
                    "-alias",
                    "broker",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-dname",
                    "CN=127.0.0.1",
                    "-ext",
                    "SAN=IP:127.0.0.1",
                    "-validity",
                    "30",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    keystore.toString(),
                    "-storepass",
                    PASSWORD,
                    "-keypass",
                    PASSWORD);
            keytool(
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    "broker",
                    "-keystore",
                    keystore.toString(),
                    "-storepass",
                    PASSWORD,
                    "-file",
                    certificate.toString());
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "broker",
                    "-file",
                    certificate.toString(),
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    truststore.toString(),
                    "-storepass",
                    PASSWORD);
        }
        return new BrokerTls(keystore, truststore);
    }

    /** The listener's server-side settings, prefixed for {@code listener}. */
    List<String> serverProperties(String listener) {
        String prefix = "listener.name." + listener.toLowerCase() + ".";
        return List.of(
                prefix + "ssl.keystore.type=PKCS12",
                prefix + "ssl.keystore.location=" + keystore,
                prefix + "ssl.keystore.password=" + PASSWORD,
                prefix + "ssl.key.password=" + PASSWORD);
    }

    /** What a client needs to trust the broker. */
    Properties clientProperties() {
        Properties properties = new Properties();
        properties.setProperty("ssl.truststore.type", "PKCS12");
        properties.setProperty("ssl.truststore.location", truststore.toString());
        properties.setProperty("ssl.truststore.password", PASSWORD);
        return properties;
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
