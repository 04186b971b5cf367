package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.RawJson;

/**
 * The outcome of a create or update: the object, and when it reached storage, the bytes stored and their
 * revision, from which the response is spliced, so the object is not encoded a second time for the response.
 *
 * @param stored null when nothing was stored (dry run, no-op, deletion by the last finalizer)
 */
public record Written(ObjectNode object, byte[] stored, long revision) {

    /** Nothing reached storage: the response is the object, encoded. */
    Written(ObjectNode object) {
        this(object, null, 0);
    }

    /**
     * An object that reached storage as {@code stored} at {@code revision}: its resourceVersion is set now; the
     * response is spliced only when {@link #body} is asked for, on the thread that answers, not on the etcd
     * client's one event loop, which completes the write and carries every etcd call.
     */
    static Written stored(ObjectNode object, byte[] stored, long revision) {
        ((ObjectNode) object.get("metadata")).put("resourceVersion", Long.toString(revision));
        return new Written(object, stored, revision);
    }

    /** What a response carries: what was stored with its resourceVersion spliced in (as kube reads it back), else the object. */
    public Object body() {
        byte[] response = stored == null ? null : StoredJson.withResourceVersion(stored, revision);
        return response != null ? new RawJson(response) : object;
    }
}
