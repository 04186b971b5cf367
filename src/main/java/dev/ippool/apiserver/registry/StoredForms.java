package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.RawJson;
import dev.ippool.apiserver.storage.KeyValue;

/**
 * One resource's stored form and what is made from it: the tree clients see (resourceVersion from the key's mod
 * revision), the bytes storage keeps (no resourceVersion or selfLink, as kube's PrepareObjectForStorage), the
 * response bytes spliced from the stored ones, and the memos that keep a large pool from being spliced or parsed
 * again for the same revision.
 */
final class StoredForms {

    private final Codec codec;
    /** Response bytes of recently read objects (see {@link ResponseMemo}). */
    private final ResponseMemo responses = new ResponseMemo();
    /** Decoded trees for the write path (see {@link TreeMemo}): up to 16 MB of stored objects. */
    private final TreeMemo trees = new TreeMemo(this::decode, 16L * 1024 * 1024);

    StoredForms(Codec codec) {
        this.codec = codec;
    }

    /** The object as clients see it: the stored JSON with resourceVersion set to the key's mod revision. */
    ObjectNode decode(KeyValue kv) {
        ObjectNode object = StoredTree.parse(codec, kv.value());
        ((ObjectNode) object.get("metadata")).put("resourceVersion", Long.toString(kv.modRevision()));
        return object;
    }

    /**
     * As {@link #decode}, but the tree may be shared with other requests (see {@link TreeMemo}): for the write
     * path, which copies what it changes and never writes into the stored object's tree.
     */
    ObjectNode shared(KeyValue kv) {
        return trees.get(kv);
    }

    /**
     * After a write of {@code object} as {@code kv}: the next write of a large object starts from this tree, read
     * as {@link #decode} would read it back (no parse: the write built it). Its root and metadata are its own, so
     * the caller's object, which its response may still change, is not shared.
     */
    void written(KeyValue kv, ObjectNode object) {
        trees.remember(kv, () -> {
            ObjectNode stored = stored(object);
            ((ObjectNode) stored.get("metadata")).put("resourceVersion", Long.toString(kv.modRevision()));
            return stored;
        });
    }

    /** The object's response bytes; decodes and encodes only if the stored form is not as this service writes it. */
    RawJson encoded(KeyValue kv) {
        return new RawJson(responses.response(kv, k -> {
            byte[] spliced = StoredJson.withResourceVersion(k.value(), k.modRevision());
            return spliced != null ? spliced : codec.encode(decode(k));
        }));
    }

    /** The stored form: resourceVersion and selfLink are never stored, as in kube's PrepareObjectForStorage. */
    byte[] encode(ObjectNode object) {
        return codec.encode(stored(object));
    }

    /**
     * The object without resourceVersion and selfLink, in shallow copies of it and its metadata: the spec (the
     * bulk of a large pool) is shared, not copied.
     */
    private ObjectNode stored(ObjectNode object) {
        ObjectNode copy = codec.newObject();
        copy.setAll(object);
        ObjectNode metadata = codec.newObject();
        metadata.setAll((ObjectNode) object.get("metadata"));
        metadata.remove("resourceVersion");
        metadata.remove("selfLink");
        copy.set("metadata", metadata);
        return copy;
    }
}
