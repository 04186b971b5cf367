package dev.ippool.apiserver.storage;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Kind-agnostic, revisioned key-value storage: the one seam between the registry and etcd. Values are opaque
 * bytes; revisions are etcd's (a global, increasing counter), so an object's resourceVersion is the
 * {@link KeyValue#modRevision()} of its key.
 *
 * <p>Every method but the {@code Async} and {@code Now} ones blocks the calling thread until the store answers or
 * its deadline passes; call it from a worker thread, never from an event loop. Every method throws
 * {@link StorageException.Unavailable} when the backend cannot be reached within the deadline, and
 * {@link StorageException.TooLarge} when the backend refuses a value for its size.
 */
public interface Store {

    /**
     * Reads one key at the latest revision (a linearizable read). An absent key is not an error: the snapshot's
     * value is empty and its revision still says how current the read was.
     */
    Snapshot get(String key);

    /**
     * {@link #get} without blocking the caller (an event loop may call it), where this store can read so: the
     * stage completes with the snapshot or fails with the same exceptions, possibly on a storage client thread,
     * where dependent stages must not block. Empty when only the blocking {@link #get} answers (the default).
     */
    default Optional<CompletionStage<Snapshot>> getAsync(String key) {
        return Optional.empty();
    }

    /**
     * A linearizable read of one key's mod revision only (0 if the key is absent), with the store revision the
     * read observed: what a cache needs to tell whether its copy is the current one without the value crossing
     * the wire. The default reads the value too.
     */
    default Stamp stamp(String key) {
        Snapshot s = get(key);
        return new Stamp(s.value().map(KeyValue::modRevision).orElse(0L), s.revision());
    }

    /**
     * {@link #stamp} without blocking the caller, where this store can read so, as {@link #getAsync}; empty when
     * only the blocking {@link #stamp} answers (the default).
     */
    default Optional<CompletionStage<Stamp>> stampAsync(String key) {
        return Optional.empty();
    }

    /** What {@link #stamp} read: the key's mod revision (0: absent) and the store revision of the read. */
    record Stamp(long modRevision, long revision) {
    }

    /**
     * Reads keys under a prefix in byte order of the key, at the request's revision.
     *
     * @throws StorageException.Compacted      if that revision has been compacted away
     * @throws StorageException.FutureRevision if that revision is ahead of the store
     */
    Page list(ListRequest request);

    /**
     * Creates a key that must not exist. The store may keep {@code value} without copying it (as it may for
     * {@link #update}): the caller must not change the array afterwards.
     *
     * @return the revision of the write, which becomes the new key's modRevision
     * @throws StorageException.AlreadyExists with the current value if the key exists
     */
    long create(String key, byte[] value);

    /**
     * {@link #create} without blocking the caller (an event loop may call it): the stage completes with the
     * revision or fails with the same exceptions, unwrapped. It may complete on a storage client thread, where
     * dependent stages must not block. This default creates on the caller's thread, blocking.
     */
    default CompletionStage<Long> createAsync(String key, byte[] value) {
        return Futures.attempt(() -> CompletableFuture.completedFuture(create(key, value)));
    }

    /**
     * Replaces a key only if its modRevision is still {@code expectedModRevision}.
     *
     * @return the revision of the write
     * @throws StorageException.NotFound if the key does not exist
     * @throws StorageException.Conflict with the current value if the key was modified since
     */
    long update(String key, byte[] value, long expectedModRevision);

    /**
     * {@link #update} without blocking the caller, on the terms of {@link #createAsync}: the stage completes with
     * the revision or fails with the same exceptions, unwrapped. This default updates on the caller's thread.
     */
    default CompletionStage<Long> updateAsync(String key, byte[] value, long expectedModRevision) {
        return Futures.attempt(() -> CompletableFuture.completedFuture(update(key, value, expectedModRevision)));
    }

    /**
     * Deletes a key only if its modRevision is still {@code expectedModRevision}.
     *
     * @return the revision of the delete
     * @throws StorageException.NotFound if the key does not exist
     * @throws StorageException.Conflict with the current value if the key was modified since
     */
    long delete(String key, long expectedModRevision);

    /** {@link #delete} without blocking the caller, as {@link #updateAsync}. This default deletes on the caller's thread. */
    default CompletionStage<Long> deleteAsync(String key, long expectedModRevision) {
        return Futures.attempt(() -> CompletableFuture.completedFuture(delete(key, expectedModRevision)));
    }

    /**
     * Watches every key under {@code prefix}, delivering each change with a revision greater than
     * {@code afterRevision}, in revision order, without gaps or repeats. A start ahead of the store is accepted:
     * the changes come when they happen.
     *
     * @throws StorageException.Compacted if {@code afterRevision} is older than the history the store keeps
     *                                    (also possible later, through {@link WatchListener#onError})
     */
    Subscription watch(String prefix, long afterRevision, WatchListener listener);

    /**
     * {@link #watch}, except that a change may come without its previous value ({@link Change#previous} null
     * for an update or a delete too): for a watcher that keeps every value itself, as the watch cache does.
     * etcd then neither reads each old value again nor sends it, which for a large pool is as much as the write.
     * This default delivers the previous values.
     */
    default Subscription watchLatest(String prefix, long afterRevision, WatchListener listener) {
        return watch(prefix, afterRevision, listener);
    }

    /**
     * Checks that watches and not-older-than reads under {@code prefix} can be served now.
     *
     * @throws StorageException.NotReady while a cache for the prefix is (re)initialising
     */
    default void requireReady(String prefix) {
    }

    /**
     * A copy of {@code key} that may be stale, for an optimistic first attempt at a conditional write (kube's
     * {@code cachedExistingObject}): it saves the read when it is current, and the conditional write fails when
     * it is not. Callers never answer a read with it, and re-read before they report a failed or no-op attempt.
     * Empty when nothing cached holds the key; this implementation caches nothing.
     */
    default Optional<KeyValue> possiblyStale(String key) {
        return Optional.empty();
    }

    /**
     * Reads one key at any revision not older than {@code minRevision}, possibly from a cache (kube's
     * resourceVersion "0" and NotOlderThan). This implementation reads the latest revision.
     *
     * @throws StorageException.FutureRevision if the store has not reached {@code minRevision}
     */
    default Snapshot getNotOlderThan(String key, long minRevision) {
        Snapshot snapshot = get(key);
        if (minRevision > snapshot.revision()) {
            throw new StorageException.FutureRevision(minRevision, snapshot.revision());
        }
        return snapshot;
    }

    /**
     * {@link #getNotOlderThan} if it can be answered now, with no I/O and no wait: from a cache that is ready and
     * has reached {@code minRevision}. Empty otherwise, and then the caller reads with {@link #getNotOlderThan}
     * (off an event loop). This implementation caches nothing, so it is always empty.
     */
    default Optional<Snapshot> getNotOlderThanNow(String key, long minRevision) {
        return Optional.empty();
    }

    /**
     * Reads every key under {@code prefix} at any revision not older than {@code minRevision}, possibly from a
     * cache. This implementation reads the latest revision.
     *
     * @throws StorageException.FutureRevision if the store has not reached {@code minRevision}
     */
    default Page listNotOlderThan(String prefix, long minRevision) {
        Page page = list(ListRequest.all(prefix));
        if (minRevision > page.revision()) {
            throw new StorageException.FutureRevision(minRevision, page.revision());
        }
        return page;
    }
}
