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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    /**
     * Values from this size are read through the cache after a keys-only read (see {@link #get}): a
     * 256-allocation pool is 68 KB, which etcd sent and this server copied twice on each of Whereabouts'
     * consistent GETs; below it, a value costs etcd about what its revision alone does.
     */
    public static final int STAMPED_READ_BYTES = 16 * 1024;
    /**
     * Writes remembered until the cache has them: a few seconds of a busy server's, or one large pool (with an 11 MB
     * pool of 65,536 allocations the service runs near its 1 GiB limit, so no more).
     */
    private static final int RECENT_WRITES = 4096;
    private static final long RECENT_WRITE_BYTES = 16L * 1024 * 1024;

    private final Store backing;
    private final List<Cached> caches;
    private final ScheduledExecutorService scheduler;
    private final RecentWrites recent = new RecentWrites(RECENT_WRITES, RECENT_WRITE_BYTES);

    private record Cached(String prefix, WatchCache cache, Reflector reflector) {
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
        this.caches = prefixes.stream().map(p -> {
            WatchCache cache = new WatchCache(p, capacity, maxBytes);
            return new Cached(p, cache, new Reflector(backing, p, cache, scheduler));
        }).toList();
        caches.forEach(c -> c.reflector().start());
    }

    /**
     * Linearizable as the backing store's read. For a value of {@link #STAMPED_READ_BYTES} or more that the cache
     * holds, or this server has just written, a keys-only read says which write is current; if that copy is that
     * very write (same mod revision, so the same bytes), waiting up to {@link #CATCH_UP} for the cache to receive
     * one still on its way, the copy is the answer. Otherwise the value is read from the backing store. A large
     * pool's consistent GET then moves a few bytes from etcd instead of ~11 MB.
     */
    @Override
    public Snapshot get(String key) {
        Optional<WatchCache> cache = cacheFor(key);
        KeyValue cached = cache.map(c -> newest(c, key)).orElse(null);
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

    /** etcd's answer: a stamp is linearizable, and costs etcd no more than the cache would save. */
    @Override
    public Stamp stamp(String key) {
        return backing.stamp(key);
    }

    @Override
    public Optional<CompletionStage<Stamp>> stampAsync(String key) {
        return backing.stampAsync(key);
    }

    /**
     * The newer of the cache's copy of {@code key} and this server's last write of it (possibly stale either
     * way); a write the cache has caught up with is forgotten.
     */
    private KeyValue newest(WatchCache cache, String key) {
        KeyValue cached = cache.peek(key);
        KeyValue mine = recent.get(key);
        if (mine == null) {
            return cached;
        }
        if (cached != null ? cached.modRevision() >= mine.modRevision() : cache.lastRevision() >= mine.modRevision()) {
            recent.remove(mine); // the cache has this write, or a later one (a deletion, when it holds nothing)
            return cached;
        }
        return mine;
    }

    /**
     * {@link #get} without blocking: a plain etcd read for a small value; for a large one the cache or this server
     * holds, the keys-only read, answered with that copy if it is the current write. Where it is not (a write
     * still on its way to the cache), the value is read from etcd rather than waited for. Empty where the
     * backing store reads only blocking.
     */
    @Override
    public Optional<CompletionStage<Snapshot>> getAsync(String key) {
        Optional<WatchCache> cache = cacheFor(key);
        KeyValue cached = cache.map(c -> newest(c, key)).orElse(null);
        if (cached == null || cached.value().length < STAMPED_READ_BYTES) {
            return backing.getAsync(key);
        }
        return backing.stampAsync(key).map(stamped -> stamped.thenCompose(stamp -> {
            KeyValue now = newest(cache.orElseThrow(), key);
            if (stamp.modRevision() == 0 || now != null && now.modRevision() == stamp.modRevision()) {
                return CompletableFuture.completedFuture(new Snapshot(
                        stamp.modRevision() == 0 ? Optional.empty() : Optional.of(now), stamp.revision()));
            }
            return backing.getAsync(key).orElseThrow(() -> new IllegalStateException(
                    "a store that stamps without blocking reads without blocking too"));
        }));
    }

    @Override
    public Page list(ListRequest request) {
        return backing.list(request);
    }

    @Override
    public long create(String key, byte[] value) {
        return created(key, value, backing.create(key, value));
    }

    @Override
    public CompletionStage<Long> createAsync(String key, byte[] value) {
        return backing.createAsync(key, value).thenApply(revision -> created(key, value, revision));
    }

    private long created(String key, byte[] value, long revision) {
        if (cacheFor(key).isPresent()) {
            recent.put(new KeyValue(key, value, revision, revision));
        }
        return revision;
    }

    @Override
    public long update(String key, byte[] value, long expectedModRevision) {
        return updated(key, value, expectedModRevision, backing.update(key, value, expectedModRevision));
    }

    @Override
    public CompletionStage<Long> updateAsync(String key, byte[] value, long expectedModRevision) {
        return backing.updateAsync(key, value, expectedModRevision)
                .thenApply(revision -> updated(key, value, expectedModRevision, revision));
    }

    private long updated(String key, byte[] value, long expectedModRevision, long revision) {
        // the write replaced the version read at expectedModRevision: its creation revision is that version's
        cacheFor(key).map(c -> newest(c, key)).filter(kv -> kv.modRevision() == expectedModRevision)
                .ifPresent(before -> recent.put(new KeyValue(key, value, before.createRevision(), revision)));
        return revision;
    }

    @Override
    public long delete(String key, long expectedModRevision) {
        long revision = backing.delete(key, expectedModRevision);
        recent.remove(key);
        return revision;
    }

    @Override
    public CompletionStage<Long> deleteAsync(String key, long expectedModRevision) {
        return backing.deleteAsync(key, expectedModRevision).thenApply(revision -> {
            recent.remove(key);
            return revision;
        });
    }

    @Override
    public Subscription watch(String prefix, long afterRevision, WatchListener listener) {
        return cacheFor(prefix).map(c -> c.watch(prefix, afterRevision, listener))
                .orElseGet(() -> backing.watch(prefix, afterRevision, listener));
    }

    /** The cache's copy, or this server's later write of the key if the cache has not received it yet. */
    @Override
    public Optional<KeyValue> possiblyStale(String key) {
        return cacheFor(key).map(c -> newest(c, key));
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
    public Optional<Snapshot> getNotOlderThanNow(String key, long minRevision) {
        return cacheFor(key).flatMap(c -> c.getNow(key, minRevision));
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
        caches.forEach(c -> c.reflector().close());
        scheduler.shutdownNow();
    }
}
