package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.registry.fields.FieldSet;
import dev.ippool.apiserver.registry.fields.FieldsV1;
import java.io.IOException;

/**
 * Parses a stored object into a tree whose {@code metadata.managedFields[].fieldsV1} are read straight into
 * field sets ({@link FieldsV1#node}), everything else as the codec parses it. Every write reads the live
 * object's managedFields as sets; a large pool's name each allocation, and building them as JSON trees first
 * cost more than the rest of its parse. Anything not in the shape this service writes falls back to the plain
 * parse, so the tree is always the one the codec would give, but for those value nodes.
 */
final class StoredTree {

    private enum Level { ROOT, METADATA, ENTRY }

    private StoredTree() {
    }

    static ObjectNode parse(Codec codec, byte[] bytes) {
        ObjectMapper mapper = codec.mapper();
        try (JsonParser p = mapper.getFactory().createParser(bytes)) {
            ObjectNode root = p.nextToken() == JsonToken.START_OBJECT ? object(mapper, p, Level.ROOT) : null;
            if (root != null && p.nextToken() == null) {
                return root;
            }
        } catch (IOException e) {
            // not what this service writes: the plain parse decides what it is
        }
        return codec.decodeStored(bytes);
    }

    /** The object at the parser's START_OBJECT, or null if its managedFields are not as this service writes them. */
    private static ObjectNode object(ObjectMapper mapper, JsonParser p, Level level) throws IOException {
        ObjectNode out = mapper.createObjectNode();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            JsonNode child;
            if (level == Level.ROOT && name.equals("metadata") && value == JsonToken.START_OBJECT) {
                child = object(mapper, p, Level.METADATA);
            } else if (level == Level.METADATA && name.equals("managedFields") && value == JsonToken.START_ARRAY) {
                child = entries(mapper, p);
            } else if (level == Level.ENTRY && name.equals("fieldsV1") && value == JsonToken.START_OBJECT) {
                FieldSet set = FieldsV1.read(p);
                child = set == null ? null : FieldsV1.node(set);
            } else {
                child = mapper.readTree(p);
            }
            if (child == null) {
                return null;
            }
            out.set(name, child);
        }
        return p.currentToken() == JsonToken.END_OBJECT ? out : null;
    }

    private static ArrayNode entries(ObjectMapper mapper, JsonParser p) throws IOException {
        ArrayNode out = mapper.createArrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            JsonNode entry = t == JsonToken.START_OBJECT ? object(mapper, p, Level.ENTRY) : mapper.readTree(p);
            if (entry == null) {
                return null;
            }
            out.add(entry);
        }
        return out;
    }
}
