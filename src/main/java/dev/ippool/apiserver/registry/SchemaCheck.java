package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.api.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the structural schema of a CRD does to a request body: prunes unknown fields (reporting each, for the
 * {@code fieldValidation} warnings or Strict errors) and validates types and required members, collecting
 * every error rather than stopping at the first, as kube-openapi's validator does.
 */
final class SchemaCheck {

    /** ObjectMeta's JSON members; anything else under metadata is pruned like any unknown field. */
    static final Set<String> OBJECT_META_FIELDS = Set.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "labels", "annotations", "ownerReferences", "finalizers", "managedFields");

    private static final Set<String> TYPE_META = Set.of("apiVersion", "kind", "metadata");

    /** The outcome: fields that were pruned (paths like {@code spec.foo}) and schema violations. */
    record Result(List<String> unknownFields, List<FieldError> errors) {
    }

    private SchemaCheck() {
    }

    /**
     * Prunes {@code object} in place and validates what is left. Subtrees that are the very nodes of
     * {@code unchanged} (the stored object a patch was applied to; null for none) are skipped: they were pruned
     * and validated when stored, and kube's validation ratcheting lets unchanged values pass anyway. A patch of
     * one allocation then checks one allocation, not the whole pool.
     */
    static Result apply(ResourceDefinition definition, ObjectNode object, ObjectNode unchanged) {
        List<String> unknown = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (String name : sortedNames(object)) {
            JsonNode value = object.get(name);
            if (TYPE_META.contains(name)) {
                continue;
            }
            Schema schema = definition.fields().get(name);
            if (schema == null) {
                object.remove(name);
                unknown.add(name);
            } else {
                validate(value, member(unchanged, name), schema, name, unknown, errors);
            }
        }
        for (String required : definition.required()) {
            if (!object.has(required)) {
                errors.add(FieldError.required(required, ""));
            }
        }
        if (object.get("metadata") instanceof ObjectNode metadata) {
            for (String name : sortedNames(metadata)) {
                if (!OBJECT_META_FIELDS.contains(name)) {
                    metadata.remove(name);
                    unknown.add("metadata." + name);
                }
            }
        }
        // reported in sorted order, as kube sorts the pruned paths
        return new Result(unknown.stream().sorted().toList(), List.copyOf(errors));
    }

    private static void validate(JsonNode node, JsonNode old, Schema schema, String path, List<String> unknown,
            List<FieldError> errors) {
        if (node == old) {
            return;
        }
        String actual = typeOf(node);
        if (!compatible(actual, schema.type())) {
            errors.add(FieldError.typeInvalid(path, actual,
                    path + " in body must be of type " + schema.type() + ": " + FieldError.quote(actual)));
            return;
        }
        if (node.isArray() && schema.items() != null) {
            for (int i = 0; i < node.size(); i++) {
                validate(node.get(i), null, schema.items(), path + "[" + i + "]", unknown, errors);
            }
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        if (schema.isMap()) {
            // only the entries that are not the stored ones: a patch of one allocation walks no other
            List<String> keys = new ArrayList<>();
            object.fields().forEachRemaining(e -> {
                if (e.getValue() != member(old, e.getKey())) {
                    keys.add(e.getKey());
                }
            });
            keys.sort(null);
            for (String key : keys) {
                validate(object.get(key), member(old, key), schema.additionalProperties(), path + "." + key, unknown,
                        errors);
            }
            return;
        }
        for (String required : schema.required()) {
            if (!object.has(required)) {
                errors.add(FieldError.required(path + "." + required, ""));
            }
        }
        for (String name : sortedNames(object)) {
            Schema child = schema.properties().get(name);
            if (child == null) {
                object.remove(name);
                unknown.add(path + "." + name);
            } else {
                validate(object.get(name), member(old, name), child, path + "." + name, unknown, errors);
            }
        }
    }

    private static JsonNode member(JsonNode old, String name) {
        return old instanceof ObjectNode o ? o.get(name) : null;
    }

    private static boolean compatible(String actual, String expected) {
        return actual.equals(expected) || (expected.equals("number") && actual.equals("integer"));
    }

    /** kube-openapi's names for JSON value types. */
    static String typeOf(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT, POJO -> "object";
            case ARRAY -> "array";
            case STRING, BINARY -> "string";
            case BOOLEAN -> "boolean";
            case NUMBER -> node.isIntegralNumber() ? "integer" : "number";
            case NULL, MISSING -> "null";
        };
    }

    /** A copy of the names, sorted: linear for the codec's trees, whose keys already are (TimSort on a run). */
    static List<String> sortedNames(ObjectNode object) {
        List<String> names = new java.util.ArrayList<>(object.size());
        object.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }
}
