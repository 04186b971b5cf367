package dev.ippool.apiserver.registry.fields;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.registry.fields.Structure.Kind;
import dev.ippool.apiserver.registry.fields.Structure.Type;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * structured-merge-diff's {@code Compare} walk over two objects of one {@link Structure}: the paths added,
 * modified and removed from {@code lhs} to {@code rhs}, into the three builders.
 */
record Comparer(FieldSet.Builder added, FieldSet.Builder modified, FieldSet.Builder removed) {


    void compare(Type t, JsonNode l, JsonNode r, List<String> path) {
        if (l != null && l == r) {
            return; // one node on both sides (a patch shares what it did not write): nothing differs below
        }
        boolean container = t.kind() != Kind.LEAF;
        boolean emptyBoth = isEmpty(l) && isEmpty(r);
        if (!container || emptyBoth || !shaped(t, l) || !shaped(t, r)) {
            leaf(l, r, path);
            return;
        }
        if (t.kind() == Kind.STRUCT || t.kind() == Kind.MAP) {
            // a patch shares every member it did not write: skip those before building a path for them,
            // so the allocations map of a large pool costs a lookup per member
            if (l != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode other = r == null ? null : r.get(e.getKey());
                    if (other != e.getValue()) {
                        member(t, e.getKey(), e.getValue(), other, path);
                    }
                }
            }
            if (r != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (l == null || l.get(e.getKey()) == null) {
                        member(t, e.getKey(), null, e.getValue(), path);
                    }
                }
            }
        } else {
            Map<String, JsonNode> left = Structure.items(t, l);
            Map<String, JsonNode> right = Structure.items(t, r);
            Set<String> keys = new LinkedHashSet<>(left.keySet());
            keys.addAll(right.keySet());
            for (String k : keys) {
                path.add(k);
                compare(t.kind() == Kind.MAP_LIST ? t.element() : Type.LEAF, left.get(k), right.get(k), path);
                path.remove(path.size() - 1);
            }
        }
        if (!path.isEmpty()) {
            if (l == null) {
                added.add(path);
            } else if (r == null) {
                removed.add(path);
            }
        }
    }

    private void member(Type t, String key, JsonNode l, JsonNode r, List<String> path) {
        path.add("f:" + key);
        compare(t.child(key), l, r, path);
        path.remove(path.size() - 1);
    }

    private void leaf(JsonNode l, JsonNode r, List<String> path) {
        if (path.isEmpty()) {
            return;
        }
        if (l == null) {
            added.add(path);
        } else if (r == null) {
            removed.add(path);
        } else if (!Structure.same(l, r)) {
            modified.add(path);
        }
    }

    private static boolean isEmpty(JsonNode v) {
        return v == null || v.isNull() || ((v.isObject() || v.isArray()) && v.isEmpty());
    }

    /** Whether a value has the container shape its type expects (absent counts). */
    private static boolean shaped(Type t, JsonNode v) {
        if (v == null) {
            return true;
        }
        return (t.kind() == Kind.STRUCT || t.kind() == Kind.MAP) ? v.isObject() : v.isArray();
    }
}
