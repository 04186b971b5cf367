package dev.ippool.apiserver.registry.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.api.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a resource as structured-merge-diff sees it (structs with declared fields, maps, atomic leaves,
 * set- and map-lists), and the three walks server-side apply needs: the field set of an object
 * ({@code ToFieldSet}), the comparison of two objects ({@code Compare}) and the merge of an apply configuration
 * into the live object ({@code Merge}), following sigs.k8s.io/structured-merge-diff's typed package.
 */
public final class Structure {

    enum Kind { LEAF, STRUCT, MAP, SET_LIST, MAP_LIST }

    record Type(Kind kind, Map<String, Type> fields, Type element, List<String> keys) {
        static final Type LEAF = new Type(Kind.LEAF, Map.of(), null, List.of());

        static Type struct(Map<String, Type> fields) {
            return new Type(Kind.STRUCT, fields, null, List.of());
        }

        static Type map(Type element) {
            return new Type(Kind.MAP, Map.of(), element, List.of());
        }

        /** The type of {@code key} in a struct or map; an undeclared struct key is an atomic leaf. */
        Type child(String key) {
            return kind == Kind.MAP ? element : fields.getOrDefault(key, LEAF);
        }

        boolean declares(String key) {
            return kind == Kind.STRUCT && fields.containsKey(key);
        }
    }

    /** The three sets of a comparison; no path is in more than one. */
    public record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
        public boolean isSame() {
            return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
        }
    }

    private static final Type OBJECT_META;

    static {
        Map<String, Type> meta = new LinkedHashMap<>();
        for (String scalar : List.of("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
                "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields")) {
            meta.put(scalar, Type.LEAF);
        }
        meta.put("labels", Type.map(Type.LEAF));
        meta.put("annotations", Type.map(Type.LEAF));
        meta.put("finalizers", new Type(Kind.SET_LIST, Map.of(), Type.LEAF, List.of()));
        Map<String, Type> owner = new LinkedHashMap<>();
        for (String f : List.of("apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion")) {
            owner.put(f, Type.LEAF);
        }
        meta.put("ownerReferences", new Type(Kind.MAP_LIST, Map.of(), Type.struct(owner), List.of("uid")));
        OBJECT_META = Type.struct(meta);
    }

    private final Type root;

    public Structure(ResourceDefinition definition) {
        Map<String, Type> fields = new LinkedHashMap<>();
        fields.put("apiVersion", Type.LEAF);
        fields.put("kind", Type.LEAF);
        fields.put("metadata", OBJECT_META);
        definition.fields().forEach((name, schema) -> fields.put(name, of(schema)));
        this.root = Type.struct(fields);
    }

    private static Type of(Schema schema) {
        if (!schema.type().equals("object")) {
            return Type.LEAF;
        }
        if (schema.isMap()) {
            return Type.map(of(schema.additionalProperties()));
        }
        Map<String, Type> fields = new LinkedHashMap<>();
        schema.properties().forEach((name, child) -> fields.put(name, of(child)));
        return Type.struct(fields);
    }

    // ---- ToFieldSet -------------------------------------------------------------------------------------------

    public FieldSet fieldSet(JsonNode object) {
        FieldSet.Builder b = new FieldSet.Builder();
        toFieldSet(root, object, new ArrayList<>(), b);
        return b.build();
    }

    private void toFieldSet(Type t, JsonNode v, List<String> path, FieldSet.Builder b) {
        switch (t.kind()) {
            case STRUCT, MAP -> {
                if (!v.isObject()) {
                    addIfNotRoot(path, b);
                    return;
                }
                v.fields().forEachRemaining(e -> {
                    path.add("f:" + e.getKey());
                    JsonNode child = e.getValue();
                    toFieldSet(t.child(e.getKey()), child, path, b);
                    if (!t.declares(e.getKey()) || child.isNull() || (child.isObject() && child.isEmpty())) {
                        b.add(path);
                    }
                    path.remove(path.size() - 1);
                });
            }
            case SET_LIST, MAP_LIST -> {
                if (!v.isArray()) {
                    addIfNotRoot(path, b);
                    return;
                }
                for (JsonNode item : v) {
                    path.add(element(t, item));
                    if (t.kind() == Kind.MAP_LIST) {
                        toFieldSet(t.element(), item, path, b);
                    }
                    b.add(path);
                    path.remove(path.size() - 1);
                }
            }
            default -> addIfNotRoot(path, b);
        }
    }

    private static void addIfNotRoot(List<String> path, FieldSet.Builder b) {
        if (!path.isEmpty()) {
            b.add(path);
        }
    }

    /** A list item's path element: {@code v:<json>} in a set, {@code k:{"uid":...}} in a map-list. */
    private static String element(Type t, JsonNode item) {
        if (t.kind() == Kind.SET_LIST) {
            return "v:" + item.toString();
        }
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        t.keys().forEach(k -> key.set(k, item.path(k)));
        return "k:" + key.toString();
    }

    // ---- Compare ----------------------------------------------------------------------------------------------

    public Comparison compare(JsonNode lhs, JsonNode rhs) {
        FieldSet.Builder added = new FieldSet.Builder();
        FieldSet.Builder modified = new FieldSet.Builder();
        FieldSet.Builder removed = new FieldSet.Builder();
        new Comparer(added, modified, removed).compare(root, lhs, rhs, new ArrayList<>());
        return new Comparison(added.build(), modified.build(), removed.build());
    }

    private record Comparer(FieldSet.Builder added, FieldSet.Builder modified, FieldSet.Builder removed) {

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
                Map<String, JsonNode> left = items(t, l);
                Map<String, JsonNode> right = items(t, r);
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
            } else if (!same(l, r)) {
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

        private static Map<String, JsonNode> items(Type t, JsonNode list) {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            if (list != null) {
                list.forEach(item -> out.putIfAbsent(element(t, item), item));
            }
            return out;
        }
    }

    /**
     * JSON equality where numbers compare by value: an int read from storage and a long set by the server are
     * the same generation, as Go's decoder sees them.
     */
    static boolean same(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> {
            if (x.isNumber() && y.isNumber()) {
                return x.decimalValue().compareTo(y.decimalValue());
            }
            return x.equals(y) ? 0 : 1;
        }, b);
    }

    // ---- Merge and removal ------------------------------------------------------------------------------------

    /** The apply configuration merged over the live object: the configuration's values win, maps merge by key. */
    public JsonNode merge(JsonNode live, JsonNode config) {
        return merge(root, live, config);
    }

    private JsonNode merge(Type t, JsonNode l, JsonNode c) {
        if (l == null || l.isNull()) {
            return c.deepCopy();
        }
        switch (t.kind()) {
            case STRUCT, MAP -> {
                if (!l.isObject() || !c.isObject()) {
                    return c.deepCopy();
                }
                ObjectNode out = ((ObjectNode) l).deepCopy();
                c.fields().forEachRemaining(e -> out.set(e.getKey(), merge(t.child(e.getKey()),
                        l.get(e.getKey()), e.getValue())));
                return out;
            }
            case SET_LIST, MAP_LIST -> {
                if (!l.isArray() || !c.isArray()) {
                    return c.deepCopy();
                }
                Map<String, JsonNode> merged = new LinkedHashMap<>(Comparer.items(t, l));
                Comparer.items(t, c).forEach((k, item) -> merged.put(k, t.kind() == Kind.MAP_LIST
                        ? merge(t.element(), merged.get(k), item) : item.deepCopy()));
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                merged.values().forEach(out::add);
                return out;
            }
            default -> {
                return c.deepCopy();
            }
        }
    }

    /** Removes the value at {@code path} from {@code object} (in place); absent paths are ignored. */
    public void remove(JsonNode object, List<String> path) {
        JsonNode parent = object;
        for (int i = 0; i < path.size() - 1 && parent != null; i++) {
            parent = step(parent, path.get(i));
        }
        if (parent == null) {
            return;
        }
        String last = path.get(path.size() - 1);
        if (parent.isObject() && last.startsWith("f:")) {
            ((ObjectNode) parent).remove(last.substring(2));
        } else if (parent.isArray()) {
            ArrayNode list = (ArrayNode) parent;
            for (int i = list.size() - 1; i >= 0; i--) {
                if (matches(list.get(i), last)) {
                    list.remove(i);
                }
            }
        }
    }

    private static JsonNode step(JsonNode node, String element) {
        if (node.isObject() && element.startsWith("f:")) {
            return node.get(element.substring(2));
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (matches(item, element)) {
                    return item;
                }
            }
        }
        return null;
    }

    private static boolean matches(JsonNode item, String element) {
        if (element.startsWith("v:")) {
            return ("v:" + item.toString()).equals(element);
        }
        if (element.startsWith("k:")) {
            return ("k:{\"uid\":" + item.path("uid").toString() + "}").equals(element);
        }
        return false;
    }
}
