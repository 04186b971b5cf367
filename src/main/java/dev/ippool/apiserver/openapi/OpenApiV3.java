package dev.ippool.apiserver.openapi;

import static dev.ippool.apiserver.openapi.MetaSchemas.META;
import static dev.ippool.apiserver.openapi.MetaSchemas.allOf;
import static dev.ippool.apiserver.openapi.MetaSchemas.prop;
import static dev.ippool.apiserver.openapi.MetaSchemas.refTo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.api.Schema;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI v3 document of one group-version, shaped as kube-apiserver publishes a CRD's: every path and
 * operation with {@code x-kubernetes-group-version-kind} and {@code x-kubernetes-action}, the query parameters
 * each verb accepts (kubectl's strict validation looks for {@code fieldValidation} on PATCH), and the schemas
 * under kube's names ({@code io.cncf.cni.whereabouts.v1alpha1.IPPool}) for {@code kubectl explain}.
 */
public final class OpenApiV3 {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** A CR's PATCH accepts exactly these; listing strategic merge would make kubectl send one and get 415. */
    static final List<String> PATCH_TYPES = List.of("application/json-patch+json", "application/merge-patch+json",
            "application/apply-patch+yaml");
    private static final List<String> LIST_PARAMS = List.of("allowWatchBookmarks", "continue", "fieldSelector",
            "labelSelector", "limit", "resourceVersion", "resourceVersionMatch", "sendInitialEvents",
            "timeoutSeconds", "watch");

    private OpenApiV3() {
    }

    /** {@code whereabouts.cni.cncf.io} + IPPool → {@code io.cncf.cni.whereabouts.v1alpha1.IPPool}. */
    public static String schemaName(ResourceDefinition r, String kind) {
        List<String> parts = Arrays.asList(r.group().split("\\."));
        java.util.Collections.reverse(parts);
        return String.join(".", parts) + "." + r.version() + "." + kind;
    }

    /** The document for {@code group/version} over {@code resources} (all of that group-version). */
    public static ObjectNode document(String group, String version, List<ResourceDefinition> resources) {
        ObjectNode doc = F.objectNode().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        MetaSchemas.addTo(schemas);
        for (ResourceDefinition r : resources) {
            schemas.set(schemaName(r, r.kind()), kindSchema(r));
            schemas.set(schemaName(r, r.listKind()), listSchema(r));
            new Paths(r).addTo(paths);
        }
        return doc;
    }

    private static ObjectNode gvk(ResourceDefinition r, String kind) {
        return F.objectNode().put("group", r.group()).put("kind", kind).put("version", r.version());
    }

    private static ObjectNode kindSchema(ResourceDefinition r) {
        ObjectNode s = prop("object", r.kind() + " is the Schema for the " + r.plural() + " API");
        ObjectNode props = s.putObject("properties");
        props.set("apiVersion", prop("string", "APIVersion defines the versioned schema of this representation of an"
                + " object. Servers should convert recognized schemas to the latest internal value, and may reject"
                + " unrecognized values. More info: https://git.k8s.io/community/contributors/devel/"
                + "sig-architecture/api-conventions.md#resources"));
        props.set("kind", prop("string", "Kind is a string value representing the REST resource this object"
                + " represents. Servers may infer this from the endpoint the client submits requests to. Cannot be"
                + " updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/"
                + "sig-architecture/api-conventions.md#types-kinds"));
        props.set("metadata", allOf(META + "ObjectMeta", "Standard object's metadata. More info: https://git.k8s.io/"
                + "community/contributors/devel/sig-architecture/api-conventions.md#metadata"));
        for (Map.Entry<String, Schema> field : r.fields().entrySet()) {
            props.set(field.getKey(), schema(field.getValue()));
        }
        if (!r.required().isEmpty()) {
            ArrayNode required = s.putArray("required");
            r.required().forEach(required::add);
        }
        s.putArray("x-kubernetes-group-version-kind").add(gvk(r, r.kind()));
        return s;
    }

    private static ObjectNode listSchema(ResourceDefinition r) {
        ObjectNode s = prop("object", r.listKind() + " is a list of " + r.kind());
        ObjectNode props = s.putObject("properties");
        props.set("apiVersion", prop("string", "APIVersion defines the versioned schema of this representation of an"
                + " object."));
        ObjectNode items = prop("array", "List of " + r.plural() + ". More info: https://git.k8s.io/community/"
                + "contributors/devel/sig-architecture/api-conventions.md");
        items.set("items", refTo(schemaName(r, r.kind())));
        props.set("items", items);
        props.set("kind", prop("string", "Kind is a string value representing the REST resource this object"
                + " represents."));
        props.set("metadata", allOf(META + "ListMeta", "Standard list metadata. More info: https://git.k8s.io/"
                + "community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"));
        s.putArray("required").add("items");
        s.putArray("x-kubernetes-group-version-kind").add(gvk(r, r.listKind()));
        return s;
    }

    /** A structural schema as OpenAPI: type, description, properties, required, additionalProperties. */
    static ObjectNode schema(Schema schema) {
        ObjectNode n = prop(schema.type(), schema.description());
        if (!schema.properties().isEmpty()) {
            ObjectNode props = n.putObject("properties");
            schema.properties().forEach((name, child) -> props.set(name, schema(child)));
        }
        if (!schema.required().isEmpty()) {
            ArrayNode required = n.putArray("required");
            schema.required().forEach(required::add);
        }
        if (schema.isMap()) {
            n.set("additionalProperties", schema(schema.additionalProperties()));
        }
        if (schema.items() != null) {
            n.set("items", schema(schema.items()));
        }
        return n;
    }

    /** The operations of one resource. */
    private record Paths(ResourceDefinition r) {

        void addTo(ObjectNode paths) {
            String base = "/apis/" + r.group() + "/" + r.version();
            String kind = schemaName(r, r.kind());
            String list = schemaName(r, r.listKind());
            String id = camel(r.group()) + Character.toUpperCase(r.version().charAt(0)) + r.version().substring(1);

            ObjectNode all = paths.putObject(base + "/" + r.plural());
            all.set("parameters", params(Parameters.path("pretty")));
            all.set("get", op("list", "list objects of kind " + r.kind(), "list" + id + r.kind() + "ForAllNamespaces",
                    r.listKind(), Parameters.query(LIST_PARAMS), null, Map.of("200", list), true));

            ObjectNode collection = paths.putObject(base + "/namespaces/{namespace}/" + r.plural());
            collection.set("parameters", params(Parameters.path("namespace", "pretty")));
            collection.set("get", op("list", "list or watch objects of kind " + r.kind(),
                    "list" + id + "Namespaced" + r.kind(), r.kind(), Parameters.query(LIST_PARAMS), null,
                    Map.of("200", list), true));
            collection.set("post", op("post", "create " + r.kind(), "create" + id + "Namespaced" + r.kind(), r.kind(),
                    Parameters.query(List.of("dryRun", "fieldManager", "fieldValidation")), body(List.of("*/*"), kind),
                    Map.of("200", kind, "201", kind, "202", kind), false));
            List<String> collectionParams = new java.util.ArrayList<>(List.of("dryRun", "gracePeriodSeconds",
                    "ignoreStoreReadErrorWithClusterBreakingPotential", "orphanDependents", "propagationPolicy"));
            collectionParams.addAll(LIST_PARAMS);
            collectionParams.removeAll(List.of("allowWatchBookmarks", "watch"));
            collection.set("delete", op("deletecollection", "delete collection of " + r.kind(),
                    "delete" + id + "CollectionNamespaced" + r.kind(), r.kind(), Parameters.query(collectionParams),
                    body(List.of("*/*"), META + "DeleteOptions"), Map.of("200", META + "Status"), false));

            ObjectNode item = paths.putObject(base + "/namespaces/{namespace}/" + r.plural() + "/{name}");
            item.set("parameters", params(Parameters.path("name", "namespace", "pretty")));
            item.set("get", op("get", "read the specified " + r.kind(), "read" + id + "Namespaced" + r.kind(),
                    r.kind(), Parameters.query(List.of("resourceVersion")), null, Map.of("200", kind), false));
            item.set("put", op("put", "replace the specified " + r.kind(), "replace" + id + "Namespaced" + r.kind(),
                    r.kind(), Parameters.query(List.of("dryRun", "fieldManager", "fieldValidation")),
                    body(List.of("*/*"), kind), Map.of("200", kind, "201", kind), false));
            item.set("delete", op("delete", "delete " + r.kind(), "delete" + id + "Namespaced" + r.kind(), r.kind(),
                    Parameters.query(List.of("dryRun", "gracePeriodSeconds",
                            "ignoreStoreReadErrorWithClusterBreakingPotential", "orphanDependents",
                            "propagationPolicy")),
                    body(List.of("*/*"), META + "DeleteOptions"),
                    Map.of("200", META + "Status", "202", META + "Status"), false));
            item.set("patch", op("patch", "partially update the specified " + r.kind(),
                    "patch" + id + "Namespaced" + r.kind(), r.kind(),
                    Parameters.query(List.of("dryRun", "fieldManager", "fieldValidation", "force")),
                    body(PATCH_TYPES, META + "Patch"), Map.of("200", kind, "201", kind), false));
        }

        private ObjectNode op(String action, String description, String operationId, String kind,
                ArrayNode parameters, ObjectNode requestBody, Map<String, String> responses, boolean streams) {
            ObjectNode op = F.objectNode().put("description", description).put("operationId", operationId);
            op.putArray("tags").add(camelLower(r.group()) + "_" + r.version());
            if (!parameters.isEmpty()) {
                op.set("parameters", parameters);
            }
            if (requestBody != null) {
                op.set("requestBody", requestBody);
            }
            ObjectNode rs = op.putObject("responses");
            responses.forEach((code, schema) -> {
                ObjectNode content = rs.putObject(code).put("description", describe(code)).putObject("content");
                List<String> types = streams ? List.of("application/json", "application/json;stream=watch",
                        "application/yaml") : List.of("application/json", "application/yaml");
                types.forEach(t -> content.putObject(t).set("schema", refTo(schema)));
            });
            rs.putObject("401").put("description", "Unauthorized");
            op.put("x-kubernetes-action", action);
            op.set("x-kubernetes-group-version-kind", gvk(r, kind));
            return op;
        }

        private static ObjectNode body(List<String> types, String schema) {
            ObjectNode b = F.objectNode();
            ObjectNode content = b.putObject("content");
            types.forEach(t -> content.putObject(t).set("schema", refTo(schema)));
            b.put("required", true);
            return b;
        }

        private static ArrayNode params(ArrayNode p) {
            return p;
        }

        private static String describe(String code) {
            return switch (code) {
                case "200" -> "OK";
                case "201" -> "Created";
                default -> "Accepted";
            };
        }

        /** {@code whereabouts.cni.cncf.io} → {@code WhereaboutsCniCncfIo}. */
        private static String camel(String group) {
            StringBuilder b = new StringBuilder();
            for (String part : group.split("[.-]")) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
            return b.toString();
        }

        private static String camelLower(String group) {
            String c = camel(group);
            return Character.toLowerCase(c.charAt(0)) + c.substring(1);
        }
    }
}
