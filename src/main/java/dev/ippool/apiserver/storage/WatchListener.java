package dev.ippool.apiserver.storage;

/**
 * Receives a watch. Called from the store's own threads, one call at a time and in revision order: an
 * implementation must return quickly and never block.
 */
public interface WatchListener {

    /** A change with a revision not less than any delivered before. */
    void onChange(Change change);

    /**
     * Changes in revision order, delivered together: every change of one revision (an etcd transaction or ranged
     * delete can touch many keys at one revision) is in the same call, so a listener can apply a revision
     * whole. Their revisions are greater than those of every earlier call.
     */
    default void onChanges(java.util.List<Change> changes) {
        changes.forEach(this::onChange);
    }

    /** Nothing changed under the prefix up to {@code revision} (used for bookmarks). */
    default void onProgress(long revision) {
    }

    /**
     * The watch has ended and delivers nothing more: {@link StorageException.Compacted} when its start is older
     * than the store's history, {@link StorageException.Unavailable} when the store gave up on it.
     */
    void onError(StorageException error);
}
