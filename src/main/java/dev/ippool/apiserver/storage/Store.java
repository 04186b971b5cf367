package dev.ippool.apiserver.storage;

/**
 * Kind-agnostic, revisioned key-value storage: the one seam between the registry and etcd. Values are opaque
 * bytes; revisions are etcd's (a global, increasing counter), so an object's resourceVersion is the
 * {@link KeyValue#modRevision()} of its key.
 *
 * <p>Every method blocks the calling thread until the store answers or its deadline passes; call it from a
 * worker thread, never from an event loop. Every method throws {@link StorageException.Unavailable} when the
 * backend cannot be reached within the deadline, and {@link StorageException.TooLarge} when the backend refuses
 * a value for its size.
 */
public interface Store {

    /**
     * Reads one key at the latest revision (a linearizable read). An absent key is not an error: the snapshot's
     * value is empty and its revision still says how current the read was.
     */
    Snapshot get(String key);

    /**
     * Reads keys under a prefix in byte order of the key, at the request's revision.
     *
     * @throws StorageException.Compacted      if that revision has been compacted away
     * @throws StorageException.FutureRevision if that revision is ahead of the store
     */
    Page list(ListRequest request);

    /**
     * Creates a key that must not exist.
     *
     * @return the revision of the write, which becomes the new key's modRevision
     * @throws StorageException.AlreadyExists with the current value if the key exists
     */
    long create(String key, byte[] value);

    /**
     * Replaces a key only if its modRevision is still {@code expectedModRevision}.
     *
     * @return the revision of the write
     * @throws StorageException.NotFound if the key does not exist
     * @throws StorageException.Conflict with the current value if the key was modified since
     */
    long update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes a key only if its modRevision is still {@code expectedModRevision}.
     *
     * @return the revision of the delete
     * @throws StorageException.NotFound if the key does not exist
     * @throws StorageException.Conflict with the current value if the key was modified since
     */
    long delete(String key, long expectedModRevision);
}
