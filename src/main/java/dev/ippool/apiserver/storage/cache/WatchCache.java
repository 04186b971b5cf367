package dev.ippool.apiserver.storage.cache;

import dev.ippool.apiserver.storage.Change;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.Page;
import dev.ippool.apiserver.storage.Snapshot;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.storage.Subscription;
import dev.ippool.apiserver.storage.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * kube's watch cache for one key prefix: the current state in a key-ordered map and a bounded ring of recent
 * changes, fed by a {@link Reflector} (a LIST, then one watch on the backing store). Every client watch is served
 * from here, so etcd carries one watch however many clients there are, and a change is delivered to all of them
 * as the same {@link Change} object.
 *
 * <p>Changes are applied and dispatched under one lock, in revision order; listeners must not block. A client
 * watch may start after any revision from the ring's floor on; older ones get {@link StorageException.Compacted}.
 */
final class WatchCache {

    private static final Logger LOG = Logger.getLogger(WatchCache.class);

    private final String prefix;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final NavigableMap<String, KeyValue> state = new TreeMap<>();
    private final ChangeRing ring;
    private final List<CacheWatcher> watchers = new CopyOnWriteArrayList<>();

    private long revision;
    private boolean ready;

    WatchCache(String prefix, int capacity, long maxBytes) {
        this.prefix = prefix;
        this.ring = new ChangeRing(capacity, maxBytes);
    }

    /** The state of a (re)list: the cache is ready from its revision on, with no history before it. */
    void replace(Page page) {
        lock.lock();
        try {
            state.clear();
            ring.reset(page.revision());
            page.items().forEach(kv -> state.put(kv.key(), kv));
            revision = page.revision();
            ready = true;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies a batch of changes under one lock, so no reader sees part of a revision: several keys can change at
     * one revision (a ranged delete of a namespace's pools is one), and comparing each change with the revision
     * of the one before would drop all but the first. Changes at or before the cache's revision are skipped. A
     * change without its previous value gets it from the state, which is etcd's at the revision before.
     */
    void apply(List<Change> changes) {
        lock.lock();
        try {
            long applied = revision;
            List<Change> batch = new ArrayList<>(changes.size());
            for (Change given : changes) {
                if (given.revision() > applied) {
                    KeyValue before = given.type() == Change.Type.DELETE ? state.remove(given.key())
                            : state.put(given.key(), given.current());
                    // the backing watch sends no previous values (Store#watchLatest): the state held each one
                    Change change = given.previous() != null || before == null ? given : given.withPrevious(before);
                    ring.add(change);
                    revision = change.revision();
                    batch.add(change);
                }
            }
            // each client watch gets the batch in one call, so nothing (a bookmark) comes between two changes of
            // one revision
            for (CacheWatcher w : watchers) {
                w.offer(batch);
            }
            // what the watchers derived from them (events, decoded objects) can be large: a later replay from the
            // ring derives it again rather than the ring keeping it
            batch.forEach(Change::forget);
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The backing store has reached {@code progress} with no change here: reads and watches may move on. */
    void progress(long progress) {
        lock.lock();
        try {
            if (progress <= revision) {
                return;
            }
            revision = progress;
            watchers.forEach(w -> w.progress(progress));
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The history the cache follows is gone: not ready until the next {@link #replace}; client watches end. */
    void invalidate() {
        lock.lock();
        try {
            ready = false;
            endWatchers(null);
        } finally {
            lock.unlock();
        }
    }

    /** The last revision applied, ready or not (where a resumed watch starts). */
    long lastRevision() {
        lock.lock();
        try {
            return revision;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers a client watch of keys under {@code subPrefix} after {@code afterRevision}: replays what the ring
     * holds, then delivers live changes.
     */
    Subscription watch(String subPrefix, long afterRevision, WatchListener listener) {
        lock.lock();
        try {
            requireReady();
            if (afterRevision < ring.floor()) {
                throw new StorageException.Compacted(afterRevision, ring.floor(), null);
            }
            CacheWatcher watcher = new CacheWatcher(subPrefix, afterRevision, listener, this::dropped);
            List<Change> replay = new ArrayList<>();
            ring.forEach(replay::add);
            watcher.offer(replay);
            watchers.add(watcher);
            return () -> watchers.remove(watcher);
        } finally {
            lock.unlock();
        }
    }

    /** The state under {@code subPrefix} once the cache has reached {@code minRevision}, waiting up to {@code wait}. */
    Page list(String subPrefix, long minRevision, Duration wait) {
        lock.lock();
        try {
            awaitRevision(minRevision, wait);
            List<KeyValue> items = new ArrayList<>(state.subMap(subPrefix, true, subPrefix + Character.MAX_VALUE,
                    false).values());
            return new Page(items, revision, false, 0);
        } finally {
            lock.unlock();
        }
    }

    /** The cached value of {@code key} now, without waiting; null if absent or the cache is not ready. */
    KeyValue peek(String key) {
        lock.lock();
        try {
            return ready ? state.get(key) : null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The cached value of {@code key} with the cache's revision, if the cache is ready and has reached
     * {@code minRevision}; empty otherwise, without waiting (the caller may be on an event loop).
     */
    Optional<Snapshot> getNow(String key, long minRevision) {
        lock.lock();
        try {
            if (!ready || revision < minRevision) {
                return Optional.empty();
            }
            return Optional.of(new Snapshot(Optional.ofNullable(state.get(key)), revision));
        } finally {
            lock.unlock();
        }
    }

    KeyValue get(String key, long minRevision, Duration wait) {
        lock.lock();
        try {
            awaitRevision(minRevision, wait);
            return state.get(key);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the cache is ready, up to {@code wait}; returns whether it is. */
    boolean awaitReady(Duration wait) {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!ready && nanos > 0) {
                nanos = advanced.awaitNanos(nanos);
            }
            return ready;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    long revision() {
        lock.lock();
        try {
            requireReady();
            return revision;
        } finally {
            lock.unlock();
        }
    }

    private void awaitRevision(long minRevision, Duration wait) {
        requireReady();
        long nanos = wait.toNanos();
        try {
            while (revision < minRevision && nanos > 0) {
                nanos = advanced.awaitNanos(nanos);
                requireReady();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (revision < minRevision) {
            throw new StorageException.FutureRevision(minRevision, revision);
        }
    }

    private void requireReady() {
        if (!ready) {
            throw new StorageException.NotReady("storage is (re)initializing");
        }
    }

    private void endWatchers(StorageException error) {
        for (CacheWatcher w : watchers) {
            w.end(error);
        }
        watchers.clear();
    }

    /** A client watch whose listener threw: out of the fan-out, logged once. */
    private void dropped(CacheWatcher watcher, RuntimeException e) {
        LOG.error("watch cache " + prefix + ": a client watch failed on a change and was closed", e);
        watchers.remove(watcher);
    }

    /** Objects the cache holds now (0 before it has loaded). */
    int objectCount() {
        lock.lock();
        try {
            return state.size();
        } finally {
            lock.unlock();
        }
    }

    /** Client watches currently subscribed; a closed or disconnected one is gone from here. */
    int watcherCount() {
        return watchers.size();
    }
}
