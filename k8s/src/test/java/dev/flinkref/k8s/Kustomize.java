package dev.flinkref.k8s;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with {@code kubectl kustomize}, offline, as kubectl apply -k would. */
final class Kustomize {
    private Kustomize() {}

    static boolean kubectlAvailable() {
        try {
            Process process = new ProcessBuilder("kubectl", "version", "--client").start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static List<JsonNode> render(Path kustomization) throws IOException, InterruptedException {
        assumeTrue(
                kubectlAvailable(),
                "kubectl not found: the kustomize overlays cannot be rendered here (CI has kubectl)");
        Process process =
                new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
                        .redirectErrorStream(false)
                        .start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + kustomization + " failed: " + err);
        }
        return Yaml.documents(new String(out, StandardCharsets.UTF_8));
    }
}
