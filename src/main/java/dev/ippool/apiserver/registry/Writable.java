package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Copy-on-write for a patch: the patched object shares every subtree the patch does not write with the stored
 * object it came from, which stays unchanged (the update compares the two). Whereabouts' allocation patch
 * writes one member of {@code spec.allocations}, so it copies the root, metadata, spec and the allocations map
 * (shallow) instead of all of a large pool. Copies keep keys sorted as the codec's trees do, so writing the
 * result never re-sorts it.
 */
final class Writable {

    /** The containers this patch owns: copies it made, which operations may change in place. */
    private final Set<JsonNode> owned = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A writable root: the document's root and metadata copied (the write path sets metadata in place). */
    JsonNode root(JsonNode document) {
        if (!(document instanceof ObjectNode o)) {
            return document;
        }
        ObjectNode root = own(shallow(o));
        if (root.get("metadata") instanceof ObjectNode metadata) {
            root.set("metadata", own(shallow(metadata)));
        }
        return root;
    }

    /**
     * Copies every container on the way to the parent of JSON pointer {@code pointer} that this patch does not
     * own yet, so an operation on that path changes only copies. Stops where the path leaves the document (the
     * operation then fails, or creates what is missing in a container already copied).
     */
    void along(JsonNode root, String pointer) {
        if (pointer.isEmpty() || pointer.charAt(0) != '/') {
            return;
        }
        String[] tokens = pointer.substring(1).split("/", -1);
        JsonNode parent = root;
        for (int i = 0; i < tokens.length - 1; i++) {
            String token = tokens[i].replace("~1", "/").replace("~0", "~");
            JsonNode child = child(parent, token);
            if (child == null || !child.isContainerNode()) {
                return;
            }
            if (!owned.contains(child)) {
                child = own(child instanceof ObjectNode o ? shallow(o) : shallow((ArrayNode) child));
                if (parent instanceof ObjectNode p) {
                    p.set(token, child);
                } else {
                    ((ArrayNode) parent).set(Integer.parseInt(token), child);
                }
            }
            parent = child;
        }
    }

    private static JsonNode child(JsonNode parent, String token) {
        if (parent instanceof ObjectNode o) {
            return o.get(token);
        }
        if (parent instanceof ArrayNode a && !token.isEmpty() && token.chars().allMatch(Character::isDigit)
                && token.length() < 10) {
            return a.get(Integer.parseInt(token));
        }
        return null;
    }

    private <T extends JsonNode> T own(T node) {
        owned.add(node);
        return node;
    }

    static ObjectNode shallow(ObjectNode o) {
        ObjectNode copy = new ObjectNode(JsonNodeFactory.instance, new java.util.TreeMap<>());
        copy.setAll(o);
        return copy;
    }

    static ArrayNode shallow(ArrayNode a) {
        ArrayNode copy = JsonNodeFactory.instance.arrayNode(a.size());
        copy.addAll(a);
        return copy;
    }
}
