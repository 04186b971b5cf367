package dev.ippool.apiserver.storage;

import java.nio.charset.StandardCharsets;

/**
 * One stored key: the value bytes and the etcd revisions that the API exposes as resourceVersion.
 *
 * @param key            the full key, prefix included
 * @param value          the stored bytes (not copied: treat as read-only)
 * @param createRevision revision of the write that created the key
 * @param modRevision    revision of the last write to the key; an object's resourceVersion
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision) {

    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
