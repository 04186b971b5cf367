package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.RawJson;

/**
 * The outcome of a create or update: the object, and when it reached storage, the response bytes spliced from
 * what was stored, so the object is not encoded a second time for the response.
 *
 * @param json null when nothing was stored (dry run, no-op, deletion by the last finalizer)
 */
public record Written(ObjectNode object, RawJson json) {

    /**
     * An object that reached storage as {@code stored} at {@code revision}: its resourceVersion is set, and the
     * response is those bytes with it spliced in (kube answers with what it read back from etcd).
     */
    static Written stored(ObjectNode object, byte[] stored, long revision) {
        ((ObjectNode) object.get("metadata")).put("resourceVersion", Long.toString(revision));
        byte[] response = StoredJson.withResourceVersion(stored, revision);
        return new Written(object, response == null ? null : new RawJson(response));
    }

    /** What a response carries: the stored bytes when there are some, else the object. */
    public Object body() {
        return json != null ? json : object;
    }
}
