package dev.ippool.apiserver.registry.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.api.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    static String element(Type t, JsonNode item) {
        if (t.kind() == Kind.SET_LIST) {
            return "v:" + item.toString();
        }
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        t.keys().forEach(k -> key.set(k, item.path(k)));
        return "k:" + key.toString();
    }

    /** A list's items by path element (the first of duplicates wins). */
    static Map<String, JsonNode> items(Type t, JsonNode list) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (list != null) {
            list.forEach(item -> out.putIfAbsent(Structure.element(t, item), item));
        }
        return out;
    }

    // ---- Compare ----------------------------------------------------------------------------------------------

    public Comparison compare(JsonNode lhs, JsonNode rhs) {
        FieldSet.Builder added = new FieldSet.Builder();
        FieldSet.Builder modified = new FieldSet.Builder();
        FieldSet.Builder removed = new FieldSet.Builder();
        new Comparer(added, modified, removed).compare(root, lhs, rhs, new ArrayList<>());
        return new Comparison(added.build(), modified.build(), removed.build());
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
                Map<String, JsonNode> merged = new LinkedHashMap<>(items(t, l));
                items(t, c).forEach((k, item) -> merged.put(k, t.kind() == Kind.MAP_LIST
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
