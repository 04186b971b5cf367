package dev.ippool.apiserver.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A structural OpenAPI v3 schema node, the subset a CRD's {@code openAPIV3Schema} uses: a type, named
 * properties, required names and, for maps, the schema of every value.
 *
 * @param type                 {@code object}, {@code string}, {@code integer}, {@code number}, {@code boolean} or
 *                             {@code array}
 * @param properties           known members of an object, in declaration order
 * @param required             members that must be present
 * @param additionalProperties for a map, the schema of each value; {@code null} otherwise
 * @param description          what the field means, for OpenAPI and {@code kubectl explain}
 * @param items                for an array, the schema of each element; {@code null} otherwise
 */
public record Schema(String type, Map<String, Schema> properties, List<String> required,
        Schema additionalProperties, String description, Schema items) {

    public Schema {
        properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        required = required == null ? List.of() : List.copyOf(required);
    }

    public static Schema string() {
        return new Schema("string", null, null, null, null, null);
    }

    public static Schema object(Map<String, Schema> properties, List<String> required) {
        return new Schema("object", properties, required, null, null, null);
    }

    public static Schema mapOf(Schema values) {
        return new Schema("object", null, null, values, null, null);
    }

    /** An array whose elements all follow {@code items} (an atomic list for server-side apply, as in a CRD). */
    public static Schema arrayOf(Schema items) {
        return new Schema("array", null, null, null, null, items);
    }

    public Schema describedAs(String text) {
        return new Schema(type, properties, required, additionalProperties, text, items);
    }

    public boolean isMap() {
        return additionalProperties != null;
    }
}
