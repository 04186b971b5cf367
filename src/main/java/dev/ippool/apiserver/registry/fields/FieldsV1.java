package dev.ippool.apiserver.registry.fields;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The FieldsV1 JSON form of a {@link FieldSet} ({@code metadata.managedFields[].fieldsV1}): a member leaf is
 * {@code {}}, a member with children says {@code ".": {}} before them, keys sorted.
 *
 * <p>Besides a plain tree, a set can sit in an object tree as a {@linkplain #node value node} that writes itself
 * straight to the generator and is read back without a walk. A pool of 65,536 allocations names each in its
 * managedFields; as trees, that part alone was a third of a large patch's CPU (build the tree from the set, write
 * it, parse it on the next patch, rebuild the set from it).
 */
public final class FieldsV1 {

    private FieldsV1() {
    }

    /** A value node holding {@code set}: written as its FieldsV1 JSON, read back by {@link #read(JsonNode)}. */
    public static JsonNode node(FieldSet set) {
        return new POJONode(new Written(set));
    }

    /** The set in {@code fields}: a {@link #node} or a FieldsV1 tree (anything else reads as what it names). */
    public static FieldSet read(JsonNode fields) {
        if (fields instanceof POJONode pojo && pojo.getPojo() instanceof Written w) {
            return w.set();
        }
        return read(fields, false);
    }

    private static FieldSet read(JsonNode fields, boolean member) {
        TreeMap<String, FieldSet> children = new TreeMap<>();
        boolean self = member;
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(".")) {
                self = true;
            } else {
                // a leaf ({}) is a member; an inner node is one only if it says "."
                children.put(e.getKey(), read(e.getValue(), e.getValue().isEmpty()));
            }
        }
        return FieldSet.of(self, children);
    }

    /**
     * Reads a FieldsV1 object from {@code parser}, positioned at its {@code START_OBJECT}, leaving it at the
     * matching {@code END_OBJECT}. Returns null, with the parser anywhere inside, if the value is not objects of
     * objects all the way down (the caller then reads the bytes another way).
     */
    public static FieldSet read(JsonParser parser) throws IOException {
        return readObject(parser, true);
    }

    private static FieldSet readObject(JsonParser p, boolean root) throws IOException {
        Map<String, FieldSet> children = Map.of(); // most are leaves: a map only for those with children
        boolean dot = false;
        boolean empty = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            if (t != JsonToken.FIELD_NAME || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            empty = false;
            if (key.equals(".")) {
                p.skipChildren();
                dot = true;
                continue;
            }
            FieldSet child = readObject(p, false);
            if (child == null) {
                return null;
            }
            if (children.isEmpty()) {
                children = new TreeMap<>();
            }
            children.put(key, child);
        }
        // as in the tree form: {} is a member leaf, an inner node is a member only if it says "."
        return FieldSet.of(dot || (empty && !root), children);
    }

    /** The set as a FieldsV1 tree. */
    static ObjectNode tree(FieldSet set) {
        ObjectNode node = sortedObject();
        fill(set, node);
        return node;
    }

    private static void fill(FieldSet set, ObjectNode node) {
        set.children().forEach((k, child) -> {
            ObjectNode c = sortedObject();
            if (child.member() && !child.children().isEmpty()) {
                c.putObject(".");
            }
            fill(child, c);
            node.set(k, c);
        });
    }

    private static ObjectNode sortedObject() {
        return new ObjectNode(JsonNodeFactory.instance, new TreeMap<>());
    }

    /** Writes {@code set}'s object; {@code dot} for a member with children. */
    private static void write(FieldSet set, boolean dot, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (dot) {
            // "." sorts before every path element (f:, i:, k:, v:), so it comes first as in Go's sorted maps
            g.writeFieldName(".");
            g.writeStartObject();
            g.writeEndObject();
        }
        for (Map.Entry<String, FieldSet> e : set.children().entrySet()) {
            g.writeFieldName(e.getKey());
            FieldSet child = e.getValue();
            write(child, child.member() && !child.children().isEmpty(), g);
        }
        g.writeEndObject();
    }

    /** The value a {@link #node} holds; equal when the sets are. */
    private record Written(FieldSet set) implements JsonSerializable {
        @Override
        public void serialize(JsonGenerator g, SerializerProvider serializers) throws IOException {
            write(set, false, g);
        }

        @Override
        public void serializeWithType(JsonGenerator g, SerializerProvider serializers, TypeSerializer type)
                throws IOException {
            write(set, false, g);
        }
    }
}
