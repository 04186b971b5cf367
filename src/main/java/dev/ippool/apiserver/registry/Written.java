package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.RawJson;

/**
 * The outcome of an update: the object, and when it reached storage, the response bytes spliced from what was
 * stored, so a large pool is not encoded a second time for the response.
 *
 * @param json null when nothing was stored (dry run, no-op, deletion by the last finalizer)
 */
public record Written(ObjectNode object, RawJson json) {

    /** What a response carries: the stored bytes when there are some, else the object. */
    public Object body() {
        return json != null ? json : object;
    }
}
