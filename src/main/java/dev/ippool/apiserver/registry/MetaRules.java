package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * ObjectMeta rules of k8s.io/apimachinery {@code api/validation/objectmeta.go} and of
 * {@code registry/rest/update.go}, over a JSON object's {@code metadata}.
 */
final class MetaRules {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("name", "string"), Map.entry("generateName", "string"), Map.entry("namespace", "string"),
            Map.entry("selfLink", "string"), Map.entry("uid", "string"), Map.entry("resourceVersion", "string"),
            Map.entry("creationTimestamp", "string"), Map.entry("deletionTimestamp", "string"),
            Map.entry("generation", "int64"), Map.entry("deletionGracePeriodSeconds", "int64"),
            Map.entry("labels", "map[string]string"), Map.entry("annotations", "map[string]string"),
            Map.entry("finalizers", "[]string"), Map.entry("ownerReferences", "[]v1.OwnerReference"),
            Map.entry("managedFields", "[]v1.ManagedFieldsEntry"));
    private static final long MAX_ANNOTATIONS_BYTES = 256 * 1024;

    private MetaRules() {
    }

    /**
     * The decode error Go's JSON decoder gives for a metadata member of the wrong type, or {@code null}. kube
     * answers these with 400 before any validation.
     */
    static String typeError(ObjectNode metadata) {
        for (String name : SchemaCheck.sortedNames(metadata)) {
            JsonNode v = metadata.get(name);
            String type = TYPES.get(name);
            if (type == null || v.isNull()) {
                continue;
            }
            boolean ok = switch (type) {
                case "string" -> v.isTextual();
                case "int64" -> v.isIntegralNumber() && v.canConvertToLong();
                case "map[string]string" -> v.isObject() && allValues(v, JsonNode::isTextual);
                case "[]string" -> v.isArray() && allValues(v, JsonNode::isTextual);
                default -> v.isArray() && allValues(v, JsonNode::isObject);
            };
            if (!ok) {
                return "json: cannot unmarshal " + goType(v) + " into Go struct field ObjectMeta.metadata." + name
                        + " of type " + type;
            }
        }
        return null;
    }

    /** {@code ValidateObjectMeta} for a namespaced object, after name generation. */
    static List<FieldError> validate(ObjectNode metadata) {
        List<FieldError> errs = new ArrayList<>();
        String generateName = text(metadata, "generateName");
        if (!generateName.isEmpty()) {
            // the prefix may end in '-': mask it as kube's maskTrailingDash does before validating
            String masked = generateName.length() > 1 && generateName.endsWith("-")
                    ? generateName.substring(0, generateName.length() - 1) + "a" : generateName;
            Names.dns1123Subdomain(masked).forEach(m -> errs.add(
                    FieldError.invalid("metadata.generateName", generateName, m)));
        }
        String name = text(metadata, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            Names.dns1123Subdomain(name).forEach(m -> errs.add(FieldError.invalid("metadata.name", name, m)));
        }
        String namespace = text(metadata, "namespace");
        if (namespace.isEmpty()) {
            errs.add(FieldError.required("metadata.namespace", ""));
        } else {
            Names.dns1123Label(namespace).forEach(m -> errs.add(
                    FieldError.invalid("metadata.namespace", namespace, m)));
        }
        JsonNode g = metadata.get("generation");
        if (g != null && g.isIntegralNumber() && g.asLong() < 0) {
            errs.add(FieldError.invalid("metadata.generation", g.asLong(), "must be greater than or equal to 0"));
        }
        validateLabels(metadata, errs);
        validateAnnotations(metadata, errs);
        validateFinalizers(metadata, errs);
        return errs;
    }

    /** {@code ValidateObjectMetaUpdate}: what an update may not change. */
    static List<FieldError> validateUpdate(ObjectNode metadata, ObjectNode old) {
        List<FieldError> errs = validate(metadata);
        immutable(metadata, old, "uid", errs);
        immutable(metadata, old, "creationTimestamp", errs);
        immutable(metadata, old, "deletionTimestamp", errs);
        if (!Objects.equals(metadata.get("deletionGracePeriodSeconds"), old.get("deletionGracePeriodSeconds"))) {
            JsonNode v = metadata.get("deletionGracePeriodSeconds");
            errs.add(FieldError.invalid("metadata.deletionGracePeriodSeconds", v == null ? null : v.asLong(),
                    "field is immutable"));
        }
        if (!old.path("deletionTimestamp").isMissingNode()) {
            Set<String> added = new LinkedHashSet<>(strings(metadata.get("finalizers")));
            added.removeAll(strings(old.get("finalizers")));
            if (!added.isEmpty()) {
                errs.add(FieldError.forbidden("metadata.finalizers",
                        "no new finalizers can be added if the object is being deleted, found new finalizers "
                                + FieldError.goStringSlice(List.copyOf(added))));
            }
        }
        return errs;
    }

    private static void immutable(ObjectNode metadata, ObjectNode old, String field, List<FieldError> errs) {
        String now = text(metadata, field);
        if (!now.equals(text(old, field))) {
            errs.add(FieldError.invalid("metadata." + field, now.isEmpty() ? null : now, "field is immutable"));
        }
    }

    private static void validateLabels(ObjectNode metadata, List<FieldError> errs) {
        if (!(metadata.get("labels") instanceof ObjectNode labels)) {
            return;
        }
        for (String key : SchemaCheck.sortedNames(labels)) {
            Names.qualifiedName(key).forEach(m -> errs.add(FieldError.invalid("metadata.labels", key, m)));
            String value = labels.get(key).asText();
            Names.labelValue(value).forEach(m -> errs.add(
                    FieldError.invalid("metadata.labels[" + key + "]", value, m)));
        }
    }

    private static void validateAnnotations(ObjectNode metadata, List<FieldError> errs) {
        if (!(metadata.get("annotations") instanceof ObjectNode annotations)) {
            return;
        }
        long total = 0;
        for (String key : SchemaCheck.sortedNames(annotations)) {
            Names.qualifiedName(key.toLowerCase()).forEach(m -> errs.add(
                    FieldError.invalid("metadata.annotations", key, m)));
            total += key.getBytes(StandardCharsets.UTF_8).length
                    + annotations.get(key).asText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > MAX_ANNOTATIONS_BYTES) {
            errs.add(new FieldError(FieldError.Type.TOO_LONG, "metadata.annotations", null,
                    "must have at most " + MAX_ANNOTATIONS_BYTES + " bytes"));
        }
    }

    private static void validateFinalizers(ObjectNode metadata, List<FieldError> errs) {
        List<String> finalizers = strings(metadata.get("finalizers"));
        for (int i = 0; i < finalizers.size(); i++) {
            String f = finalizers.get(i);
            String path = "metadata.finalizers[" + i + "]";
            Names.qualifiedName(f).forEach(m -> errs.add(FieldError.invalid(path, f, m)));
        }
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node instanceof ArrayNode array) {
            array.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    static String text(ObjectNode metadata, String field) {
        JsonNode v = metadata.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static boolean allValues(JsonNode container, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode e : container) {
            if (!test.test(e)) {
                return false;
            }
        }
        return true;
    }

    private static String goType(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "bool";
            case ARRAY -> "array";
            case OBJECT -> "object";
            default -> "value";
        };
    }
}
