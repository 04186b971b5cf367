package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of a stored object without decoding it: storage holds the compact, key-sorted JSON a response
 * carries, minus {@code metadata.resourceVersion} (kube never stores it). Splicing the key's revision in at its
 * sorted place gives byte for byte what encoding the decoded object would, at the cost of scanning the keys
 * before {@code metadata} ends rather than building and writing a tree of the whole object.
 */
final class StoredJson {

    private static final String RESOURCE_VERSION = "resourceVersion";

    private StoredJson() {
    }

    /** {@code stored} with {@code "resourceVersion":"<revision>"} in its metadata; null if it is not as expected. */
    static byte[] withResourceVersion(JsonFactory factory, byte[] stored, long revision) {
        try (JsonParser p = factory.createParser(stored)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean metadata = p.currentName().equals("metadata");
                if (p.nextToken() != JsonToken.START_OBJECT || !metadata) {
                    p.skipChildren();
                    continue;
                }
                boolean first = true;
                for (JsonToken t = p.nextToken(); ; t = p.nextToken()) {
                    if (t == JsonToken.END_OBJECT) {
                        return splice(stored, (int) p.currentTokenLocation().getByteOffset(),
                                (first ? "" : ",") + field(revision));
                    }
                    if (t != JsonToken.FIELD_NAME) {
                        return null;
                    }
                    int order = p.currentName().compareTo(RESOURCE_VERSION);
                    if (order == 0) {
                        return null;
                    }
                    if (order > 0) {
                        return splice(stored, (int) p.currentTokenLocation().getByteOffset(), field(revision) + ",");
                    }
                    first = false;
                    p.nextToken();
                    p.skipChildren();
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("stored object is not JSON", e);
        }
    }

    private static String field(long revision) {
        return "\"" + RESOURCE_VERSION + "\":\"" + revision + "\"";
    }

    private static byte[] splice(byte[] stored, int at, String insert) {
        byte[] middle = insert.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[stored.length + middle.length];
        System.arraycopy(stored, 0, out, 0, at);
        System.arraycopy(middle, 0, out, at, middle.length);
        System.arraycopy(stored, at, out, at + middle.length, stored.length - at);
        return out;
    }
}
