package dev.ippool.apiserver.storage.cache;

import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.ListRequest;
import dev.ippool.apiserver.storage.Page;
import dev.ippool.apiserver.storage.Snapshot;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.storage.Store;
import dev.ippool.apiserver.storage.Subscription;
import dev.ippool.apiserver.storage.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A {@link Store} decorator, as kube's Cacher wraps its etcd3 store: writes and consistent reads go to the
 * backing store; watches, and reads that accept any revision not older than N, are served from one
 * {@link WatchCache} per cached prefix. Keys under no cached prefix pass straight through.
 */
public final class CachingStore implements Store, AutoCloseable {

    /** How long a read waits for the cache to reach a requested revision, as kube's cacher does (3 s). */
    public static final Duration REVISION_WAIT = Duration.ofSeconds(3);
    /** How long a consistent read waits for the cache to receive the write etcd says is current. */
    static final Duration CATCH_UP = Duration.ofMillis(100);
    /** Values from this size are read through the cache after a keys-only read (see {@link #get}). */
    public static final int STAMPED_READ_BYTES = 128 * 1024;

    private final Store backing;
    private final List<Cached> caches;
    private final ScheduledExecutorService scheduler;

    private record Cached(String prefix, WatchCache cache) {
    }

    /**
     * @param prefixes one cache per prefix (each ends with {@code /})
     * @param capacity how many recent changes each cache keeps for watches that start in the past
     */
    public CachingStore(Store backing, List<String> prefixes, int capacity) {
        this(backing, prefixes, capacity, Long.MAX_VALUE);
    }

    /** @param maxBytes how many bytes of values each cache's ring of recent changes may hold */
    public CachingStore(Store backing, List<String> prefixes, int capacity, long maxBytes) {
        this.backing = backing;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "watch-cache");
            t.setDaemon(true);
            return t;
        });
        this.caches = prefixes.stream().map(p -> new Cached(p, new WatchCache(backing, p, capacity, maxBytes, scheduler)))
                .toList();
        caches.forEach(c -> c.cache().start());
    }

    /**
     * Linearizable as the backing store's read. For a value the cache holds at {@link #STAMPED_READ_BYTES} or
     * more, a keys-only read says which write is current; if the cache holds that very write (same mod
     * revision, so the same bytes), waiting up to {@link #CATCH_UP} for one still on its way, its copy is the
     * answer. Otherwise the value is read from the backing store. A large pool's consistent GET then moves a
     * few bytes from etcd instead of ~11 MB.
     */
    @Override
    public Snapshot get(String key) {
        Optional<WatchCache> cache = cacheFor(key);
        KeyValue cached = cache.map(c -> c.peek(key)).orElse(null);
        if (cached == null || cached.value().length < STAMPED_READ_BYTES) {
            // small values cost etcd about what their revision alone does: one plain read, never a second
            return backing.get(key);
        }
        Stamp stamp = backing.stamp(key);
        if (stamp.modRevision() == 0) {
            return new Snapshot(Optional.empty(), stamp.revision());
        }
        if (cached.modRevision() < stamp.modRevision()) {
            // a write just committed is usually on its way to the cache: wait a little for it, then read etcd
            try {
                cached = cache.orElseThrow().get(key, stamp.modRevision(), CATCH_UP);
            } catch (StorageException e) {
                cached = null;
            }
        }
        if (cached != null && cached.modRevision() == stamp.modRevision()) {
            return new Snapshot(Optional.of(cached), stamp.revision());
        }
        return backing.get(key);
    }

    @Override
    public Page list(ListRequest request) {
        return backing.list(request);
    }

    @Override
    public long create(String key, byte[] value) {
        return backing.create(key, value);
    }

    @Override
    public long update(String key, byte[] value, long expectedModRevision) {
        return backing.update(key, value, expectedModRevision);
    }

    @Override
    public long delete(String key, long expectedModRevision) {
        return backing.delete(key, expectedModRevision);
    }

    @Override
    public Subscription watch(String prefix, long afterRevision, WatchListener listener) {
        return cacheFor(prefix).map(c -> c.watch(prefix, afterRevision, listener))
                .orElseGet(() -> backing.watch(prefix, afterRevision, listener));
    }

    @Override
    public Optional<KeyValue> possiblyStale(String key) {
        return cacheFor(key).map(c -> c.peek(key));
    }

    @Override
    public Snapshot getNotOlderThan(String key, long minRevision) {
        Optional<WatchCache> cache = cacheFor(key);
        if (cache.isEmpty()) {
            return Store.super.getNotOlderThan(key, minRevision);
        }
        KeyValue kv = cache.get().get(key, minRevision, REVISION_WAIT);
        return new Snapshot(Optional.ofNullable(kv), cache.get().revision());
    }

    @Override
    public Page listNotOlderThan(String prefix, long minRevision) {
        return cacheFor(prefix).map(c -> c.list(prefix, minRevision, REVISION_WAIT))
                .orElseGet(() -> Store.super.listNotOlderThan(prefix, minRevision));
    }

    @Override
    public void requireReady(String prefix) {
        cacheFor(prefix).ifPresent(WatchCache::revision);
    }

    /** Objects in the cache of {@code prefix}, read without touching etcd (0 for an uncached prefix). */
    public int objectCount(String prefix) {
        return cacheFor(prefix).map(WatchCache::objectCount).orElse(0);
    }

    /** Client watches subscribed to the cache of {@code prefix} (0 for an uncached prefix). */
    public int watcherCount(String prefix) {
        return cacheFor(prefix).map(WatchCache::watcherCount).orElse(0);
    }

    /** Waits until every cache has loaded, up to {@code wait} (for start-up checks and tests). */
    public boolean awaitReady(Duration wait) {
        return caches.stream().allMatch(c -> c.cache().awaitReady(wait));
    }

    private Optional<WatchCache> cacheFor(String key) {
        return caches.stream().filter(c -> key.startsWith(c.prefix())).map(Cached::cache).findFirst();
    }

    @Override
    public void close() {
        caches.forEach(c -> c.cache().close());
        scheduler.shutdownNow();
    }
}
