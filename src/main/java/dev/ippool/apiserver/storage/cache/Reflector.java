package dev.ippool.apiserver.storage.cache;

import dev.ippool.apiserver.storage.Change;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.ListRequest;
import dev.ippool.apiserver.storage.Page;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.storage.Store;
import dev.ippool.apiserver.storage.Subscription;
import dev.ippool.apiserver.storage.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * kube's reflector for one {@link WatchCache}: lists the prefix from the backing store, then watches it from the
 * listed revision and feeds every change to the cache. A watch that breaks (etcd restarted, a connection dropped)
 * resumes after the last revision applied, keeping the cache's state, history and client watches; only a
 * compacted watch (the history it needs is gone) relists, which ends the client watches. Failures back off from
 * 100 ms to 10 s.
 *
 * <p>Each list or watch is a generation; what an older one still delivers is ignored. The generation is checked
 * and the change applied under this reflector's lock, which is always taken before the cache's.
 */
final class Reflector {

    private static final Logger LOG = Logger.getLogger(Reflector.class);
    /** Keys in the first page of a list, before the values' sizes are known. */
    private static final long FIRST_PAGE = 64;
    /** About this many bytes in each later page. */
    private static final long PAGE_BYTES = 8L << 20;
    /** kube's cacher's page size (storageWatchListPageSize). */
    private static final long MAX_PAGE = 10_000;

    private final Store backing;
    private final String prefix;
    private final WatchCache cache;
    private final ScheduledExecutorService scheduler;
    private final ReentrantLock lock = new ReentrantLock();

    private boolean closed;
    private long generation;
    private Subscription upstream;
    private int failures;

    Reflector(Store backing, String prefix, WatchCache cache, ScheduledExecutorService scheduler) {
        this.backing = backing;
        this.prefix = prefix;
        this.cache = cache;
        this.scheduler = scheduler;
    }

    /** Lists and watches in the background; until the list is in, the cache answers NotReady. */
    void start() {
        scheduler.execute(this::relist);
    }

    private void relist() {
        long myGeneration;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            myGeneration = ++generation;
        } finally {
            lock.unlock();
        }
        try {
            Page page = listInPages();
            lock.lock();
            try {
                if (closed || myGeneration != generation) {
                    return;
                }
                failures = 0;
                cache.replace(page);
                upstream = backing.watchLatest(prefix, page.revision(), new Upstream(myGeneration));
            } finally {
                lock.unlock();
            }
        } catch (StorageException e) {
            relistLater("list", e);
        }
    }

    /**
     * The prefix at one revision, read in pages of about {@link #PAGE_BYTES}: one range of a large prefix can pass
     * the client's inbound limit, and the cache would never load, and it would hold the response, its protobuf
     * form and their copies in the heap at once. kube's cacher lists its prefix in pages too. The first page fixes
     * the revision; a compaction of it before the last page fails the list, which is retried as any other.
     */
    private Page listInPages() {
        List<KeyValue> items = new ArrayList<>();
        long revision = 0;
        long limit = FIRST_PAGE;
        long bytes = 0;
        String start = null;
        while (true) {
            Page page = backing.list(new ListRequest(prefix, start, revision, limit));
            // etcd's header carries its current revision, not the one read at: only the first page's counts
            revision = revision == 0 ? page.revision() : revision;
            items.addAll(page.items());
            if (!page.more() || page.items().isEmpty()) {
                return new Page(items, revision, false, 0);
            }
            for (KeyValue kv : page.items()) {
                bytes += kv.key().length() + kv.value().length;
            }
            start = items.get(items.size() - 1).key() + '\0';
            limit = Math.max(1, Math.min(MAX_PAGE, PAGE_BYTES * items.size() / Math.max(1, bytes)));
        }
    }

    /** Relists after the backoff: etcd coming back is noticed quickly without a tight loop. */
    private void relistLater(String what, StorageException e) {
        long delay;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            delay = nextDelay();
        } finally {
            lock.unlock();
        }
        LOG.warnf("watch cache %s: %s failed (%s); retrying in %d ms", prefix, what, e.getMessage(), delay);
        scheduler.schedule(this::relist, delay, TimeUnit.MILLISECONDS);
    }

    /** Under the lock: one more failure's backoff, doubling from 100 ms to 10 s. */
    private long nextDelay() {
        failures++;
        return Math.min(10_000, 100L << Math.min(failures - 1, 7));
    }

    /** Under the lock: re-opens the backing watch after the last applied revision, after the backoff delay. */
    private void resumeLater(long brokenGeneration, StorageException e) {
        long delay = nextDelay();
        LOG.warnf("watch cache %s: watch failed (%s); resuming after revision %d in %d ms", prefix, e.getMessage(),
                cache.lastRevision(), delay);
        scheduler.schedule(() -> resume(brokenGeneration), delay, TimeUnit.MILLISECONDS);
    }

    private void resume(long brokenGeneration) {
        StorageException failed = null;
        lock.lock();
        try {
            if (closed || brokenGeneration != generation) {
                return;
            }
            long myGeneration = ++generation;
            if (upstream != null) {
                upstream.close(); // ended already when it failed; closing again changes nothing
            }
            try {
                upstream = backing.watchLatest(prefix, cache.lastRevision(), new Upstream(myGeneration));
            } catch (StorageException.Compacted e) {
                cache.invalidate();
                failed = e;
            } catch (StorageException e) {
                resumeLater(myGeneration, e);
            }
        } finally {
            lock.unlock();
        }
        if (failed != null) {
            relistLater("watch", failed);
        }
    }

    /** Stops listing and watching and closes the cache, ending its client watches. */
    void close() {
        lock.lock();
        try {
            closed = true;
            generation++;
            if (upstream != null) {
                upstream.close();
            }
            cache.invalidate();
        } finally {
            lock.unlock();
        }
    }

    /** The backing watch of one generation. */
    private final class Upstream implements WatchListener {
        private final long myGeneration;

        Upstream(long myGeneration) {
            this.myGeneration = myGeneration;
        }

        @Override
        public void onChange(Change change) {
            onChanges(List.of(change));
        }

        @Override
        public void onChanges(List<Change> changes) {
            ifCurrent(() -> {
                failures = 0;
                cache.apply(changes);
            });
        }

        @Override
        public void onProgress(long progress) {
            ifCurrent(() -> cache.progress(progress));
        }

        /** Runs {@code action} under the lock if this watch is still the current generation's. */
        private void ifCurrent(Runnable action) {
            lock.lock();
            try {
                if (myGeneration == generation) {
                    action.run();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onError(StorageException error) {
            lock.lock();
            try {
                if (myGeneration != generation) {
                    return;
                }
                if (!(error instanceof StorageException.Compacted)) {
                    // kube's reflector: a broken watch resumes from the last revision applied; only a compacted
                    // one relists, which ends client watches (they re-watch, or get 410 and relist)
                    resumeLater(myGeneration, error);
                    return;
                }
                cache.invalidate();
            } finally {
                lock.unlock();
            }
            relistLater("watch", error);
        }
    }
}
