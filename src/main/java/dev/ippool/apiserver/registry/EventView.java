package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a watch's events show their object: as stored, or as a {@code meta.k8s.io} view (kube's
 * watchEmbeddedEncoder transforms each event's object as the response of a GET would be).
 */
public interface EventView {

    /** The stored object itself. */
    EventView OBJECT = new EventView() {
        @Override
        public String key() {
            return "";
        }

        @Override
        public Object object(ObjectNode object, boolean first) {
            return object;
        }

        @Override
        public Object bookmark(ObjectNode bookmark, boolean first) {
            return bookmark;
        }
    };

    /** Equal keys give equal bytes, so watchers with the same view share one encoded frame per change. */
    String key();

    /** The event's object; {@code first} for the first event of the stream (a Table's columns go only there). */
    Object object(ObjectNode object, boolean first);

    Object bookmark(ObjectNode bookmark, boolean first);
}
