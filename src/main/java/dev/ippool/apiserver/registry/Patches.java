package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.CompatibilityFlags;
import com.flipkart.zjsonpatch.JsonPatch;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Status;
import dev.ippool.apiserver.api.StatusDetails;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON patch (RFC 6902) and JSON merge patch (RFC 7386) with the semantics of the library kube-apiserver uses
 * (evanphx/json-patch v4): zjsonpatch does the operations; this class adds what differs.
 */
final class Patches {

    static final int MAX_JSON_PATCH_OPERATIONS = 10000;

    // v4 refuses to remove a missing member; zjsonpatch allows it unless told otherwise.
    private static final EnumSet<CompatibilityFlags> FLAGS = EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

    private Patches() {
    }

    /** Checks a JSON patch document's shape once, before any attempt: 400 if it is not a patch, 413 if too long. */
    static ArrayNode parseJsonPatch(JsonNode patch) {
        if (!(patch instanceof ArrayNode ops)) {
            throw ApiException.badRequest("json: cannot unmarshal " + SchemaCheck.typeOf(patch)
                    + " into Go value of type jsonpatch.Patch");
        }
        for (JsonNode op : ops) {
            if (!op.isObject()) {
                throw ApiException.badRequest("json: cannot unmarshal " + SchemaCheck.typeOf(op)
                        + " into Go value of type jsonpatch.Operation");
            }
        }
        if (ops.size() > MAX_JSON_PATCH_OPERATIONS) {
            throw ApiException.tooLarge("The allowed maximum operations in a JSON patch is "
                    + MAX_JSON_PATCH_OPERATIONS + ", got " + ops.size());
        }
        return ops;
    }

    /**
     * Applies every operation to {@code document} without changing it: what an operation writes is copied first
     * (see {@link Writable}), the rest is shared. Any failure (a failed {@code test}, a missing path, an unknown
     * op) is kube's 422 {@code Invalid} with the generic message, never the library's text.
     */
    static JsonNode applyJsonPatch(ArrayNode ops, JsonNode document) {
        Writable writable = new Writable();
        JsonNode doc = writable.root(document);
        for (JsonNode op : ops) {
            try {
                if (isTestOfMissingMemberAgainstNull(op, doc)) {
                    continue;
                }
                if (!"test".equals(op.path("op").asText())) {
                    writable.along(doc, op.path("path").asText(""));
                    writable.along(doc, op.path("from").asText(""));
                }
                ArrayNode single = JsonNodeFactory.instance.arrayNode().add(op);
                if (op.path("path").asText("").isEmpty()) {
                    doc = JsonPatch.apply(single, doc, FLAGS);
                } else {
                    JsonPatch.applyInPlace(single, doc, FLAGS);
                }
            } catch (RuntimeException e) {
                throw patchRejected();
            }
        }
        return doc;
    }

    /**
     * evanphx v4's quirk that Whereabouts relies on: {@code test} of an absent member against {@code null}
     * passes, as long as the parent exists and is an object.
     */
    private static boolean isTestOfMissingMemberAgainstNull(JsonNode op, JsonNode doc) {
        if (!"test".equals(op.path("op").asText()) || !op.has("value") || !op.get("value").isNull()) {
            return false;
        }
        String path = op.path("path").asText("");
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return false;
        }
        JsonNode parent = slash == 0 ? doc : doc.at(path.substring(0, slash));
        String member = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        return parent.isObject() && !parent.has(member);
    }

    /**
     * RFC 7386 merge patch, leaving {@code document} as it was: the objects the patch reaches are copied, the
     * rest is shared. A body that is not a JSON object is rejected as kube's library rejects it.
     */
    static JsonNode applyMergePatch(JsonNode patch, JsonNode document) {
        if (!patch.isObject()) {
            throw ApiException.badRequest("Invalid JSON Patch");
        }
        JsonNode merged = merge(document, patch);
        if (merged instanceof ObjectNode root && root.get("metadata") instanceof ObjectNode metadata
                && metadata == document.get("metadata")) {
            root.set("metadata", Writable.shallow(metadata)); // the write path sets metadata fields in place
        }
        return merged;
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target instanceof ObjectNode o ? Writable.shallow(o)
                : new ObjectNode(JsonNodeFactory.instance, new java.util.TreeMap<>());
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                JsonNode existing = result.get(e.getKey());
                result.set(e.getKey(), merge(existing == null ? JsonNodeFactory.instance.nullNode() : existing,
                        e.getValue()));
            }
        }
        return result;
    }

    /** {@code NewGenericServerResponse(422, ...)}: reason Invalid, the generic message, empty details. */
    static ApiException patchRejected() {
        return new ApiException(Status.failure(422, "Invalid",
                "the server rejected our request due to an error in our request", StatusDetails.empty()));
    }
}
