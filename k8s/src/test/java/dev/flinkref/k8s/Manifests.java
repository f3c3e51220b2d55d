package dev.flinkref.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Shared, lazily built checkers: the classpath scan and CRD load happen once per test JVM. */
final class Manifests {
    private static CrdSchemas crds;
    private static ManifestChecker checker;

    private Manifests() {}

    static synchronized CrdSchemas crds() {
        if (crds == null) {
            crds = CrdSchemas.load(RepoPaths.crdDir());
        }
        return crds;
    }

    static synchronized ManifestChecker checker() {
        if (checker == null) {
            checker = new ManifestChecker(crds(), FlinkConfigKeys.fromClasspath());
        }
        return checker;
    }

    static List<JsonNode> ofKind(List<JsonNode> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }
}
