package dev.flinkref.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The operator's CRD schemas, made strict the way the API server applies them with {@code kubectl
 * --validate=strict} (the default since Kubernetes 1.27): a field the schema does not declare is an
 * error, except below {@code x-kubernetes-preserve-unknown-fields}. The schemas are OpenAPI 3.0
 * schema objects, validated in that dialect; the {@code x-kubernetes-*} keywords are ignored.
 */
final class CrdSchemas {
    private final Map<String, JsonSchema> byKind = new HashMap<>();
    private final Map<String, JsonNode> rawByKind = new HashMap<>();

    private CrdSchemas() {}

    static CrdSchemas load(Path crdDir) {
        CrdSchemas schemas = new CrdSchemas();
        // CRD schemas are OpenAPI 3.0 schema objects (nullable, int-or-string via anyOf), not
        // plain draft 4: validate in that dialect.
        JsonSchemaFactory factory =
                JsonSchemaFactory.getInstance(
                        SpecVersion.VersionFlag.V4,
                        builder ->
                                builder.metaSchema(OpenApi30.getInstance())
                                        .defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
        try (Stream<Path> files = Files.list(crdDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
                JsonNode crd = Yaml.documents(Files.readString(file)).get(0);
                String kind = crd.at("/spec/names/kind").asText();
                ObjectNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
                // The API server itself handles these on every object; CRD schemas omit them.
                ObjectNode root = schema.with("properties");
                root.putObject("apiVersion").put("type", "string");
                root.putObject("kind").put("type", "string");
                root.putObject("metadata").put("type", "object");
                forbidUnknownFields(schema);
                schemas.byKind.put(kind, factory.getSchema(schema));
                schemas.rawByKind.put(kind, schema);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the operator CRDs in " + crdDir + " (set -Dcrd.dir)", e);
        }
        if (schemas.byKind.isEmpty()) {
            throw new IllegalStateException("no CRDs (*.yml) in " + crdDir + " (set -Dcrd.dir)");
        }
        return schemas;
    }

    /** The custom resource kinds these CRDs define. */
    Set<String> kinds() {
        return Set.copyOf(byKind.keySet());
    }

    /**
     * Schema violations of a custom resource, each naming its field; empty if none or not a CRD.
     */
    List<String> validate(JsonNode resource) {
        return schema(resource.path("kind").asText())
                .map(
                        schema ->
                                schema.validate(resource).stream()
                                        .map(ValidationMessage::getMessage)
                                        .sorted()
                                        .toList())
                .orElse(List.of());
    }

    /**
     * Whether {@code path} (field names below the resource root, e.g. {@code status, jobStatus,
     * state}) is a field the CRD of {@code kind} declares, or lies below a free-form map such as
     * {@code spec.flinkConfiguration}.
     */
    boolean declares(String kind, List<String> path) {
        JsonNode node = rawByKind.get(kind);
        if (node == null) {
            return false;
        }
        for (String field : path) {
            if (node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                    || node.path("additionalProperties").isObject()) {
                return true;
            }
            node = node.path("properties").path(field);
            if (node.isMissingNode()) {
                return false;
            }
        }
        return true;
    }

    Optional<JsonSchema> schema(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    private static void forbidUnknownFields(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                    && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            Iterator<JsonNode> children = object.elements();
            while (children.hasNext()) {
                forbidUnknownFields(children.next());
            }
        } else if (node != null && node.isArray()) {
            node.forEach(CrdSchemas::forbidUnknownFields);
        }
    }
}
