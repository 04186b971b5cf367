package dev.ippool.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippool.apiserver.storage.cache.CachingStore;
import dev.ippool.apiserver.storage.etcd.EtcdStore;
import dev.ippool.apiserver.support.ObservedStore;
import dev.ippool.apiserver.support.PrivateEtcd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@link StoreContract} on the watch cache over etcd, plus what only the cache does. */
class CachingStoreTest extends StoreContract {

    private static final int CAPACITY = 16;
    private static CachingStore cache;

    @BeforeAll
    static void startCache() throws Exception {
        cache = new CachingStore(etcdStore, List.of("/contract/"), CAPACITY);
        awaitReady();
    }

    @AfterAll
    static void stopCache() {
        cache.close();
    }

    private static void awaitReady() {
        assertThat(cache.awaitReady(Duration.ofSeconds(10))).as("the watch cache loaded").isTrue();
    }

    @Override
    protected Store store() {
        return cache;
    }

    /** etcd forgets through compaction; the cache's ring forgets by rolling over, so roll it too. */
    @Override
    protected void compact(long revision) {
        long last = 0;
        for (int i = 0; i <= CAPACITY; i++) {
            last = etcdStore.create("/contract/roll/" + UUID.randomUUID(), "x".getBytes(StandardCharsets.UTF_8));
        }
        // a cache whose etcd watch lags behind the compaction would be cut off and restart (a loaded machine made
        // the next test meet a restarting cache): compact what the cache has already received, as in production
        cache.listNotOlderThan("/contract/roll/", last);
        etcdStore.client().getKVClient().compact(revision).join();
    }

    @Test
    @DisplayName("reads not older than N are served once the cache has caught up with a write")
    void readYourWrite() {
        String key = "/contract/ryw/" + UUID.randomUUID();
        long rev = cache.create(key, "v".getBytes(StandardCharsets.UTF_8));
        assertThat(cache.getNotOlderThan(key, rev).value()).isPresent();
        assertThat(cache.listNotOlderThan("/contract/ryw/", rev).items()).extracting(KeyValue::key).contains(key);
    }

    @Test
    @DisplayName("once the cache has a write, it answers reads not older than it now, absent keys included")
    void readsNow() {
        String key = "/contract/now/" + UUID.randomUUID();
        long rev = cache.create(key, "v".getBytes(StandardCharsets.UTF_8));
        cache.getNotOlderThan(key, rev); // the cache has seen the write
        Snapshot now = cache.getNotOlderThanNow(key, rev).orElseThrow();
        assertThat(now.value().orElseThrow().valueAsString()).isEqualTo("v");
        assertThat(now.value().orElseThrow().modRevision()).isEqualTo(rev);
        assertThat(now.revision()).isGreaterThanOrEqualTo(rev);
        Snapshot absent = cache.getNotOlderThanNow(key + "-absent", 0).orElseThrow();
        assertThat(absent.value()).isEmpty();
        assertThat(absent.revision()).isGreaterThanOrEqualTo(rev);
        assertThat(etcdStore.getNotOlderThanNow(key, rev)).as("etcd alone never answers now").isEmpty();
    }

    @Test
    @DisplayName("a consistent read does not block, of a small value or of a large one the cache holds")
    void consistentReadsWithoutBlocking() {
        String key = "/contract/async/" + UUID.randomUUID();
        long small = cache.create(key, "v".getBytes(StandardCharsets.UTF_8));
        assertThat(etcdStore.getAsync(key)).as("etcd reads without blocking").isPresent();
        Snapshot read = Futures.join(cache.getAsync(key).orElseThrow());
        assertThat(read.value().orElseThrow().modRevision()).isEqualTo(small);
        byte[] large = "l".repeat(CachingStore.STAMPED_READ_BYTES).getBytes(StandardCharsets.UTF_8);
        long big = cache.update(key, large, small);
        cache.getNotOlderThan(key, big); // the cache has the large value
        Snapshot fromCache = Futures.join(cache.getAsync(key).orElseThrow());
        assertThat(fromCache.value().orElseThrow().modRevision()).isEqualTo(big);
        assertThat(fromCache.revision()).isGreaterThanOrEqualTo(big);
    }

    @Test
    @DisplayName("a consistent get of a large value reads only its revision from etcd when the cache holds it")
    void consistentGetFromTheCache() throws Exception {
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        Store counting = ObservedStore.of(etcdStore, (method, args) -> calls.merge(method, 1, Integer::sum));
        String prefix = "/contract/stamp/" + UUID.randomUUID() + "/";
        byte[] large = "l".repeat(CachingStore.STAMPED_READ_BYTES).getBytes(StandardCharsets.UTF_8);
        try (CachingStore store = new CachingStore(counting, List.of(prefix), CAPACITY)) {
            assertThat(store.awaitReady(Duration.ofSeconds(10))).isTrue();
            String key = prefix + "k";
            long rev = store.create(key, large);
            store.getNotOlderThan(key, rev); // the cache has seen the write
            calls.clear();
            Snapshot read = store.get(key);
            assertThat(read.value().orElseThrow().modRevision()).isEqualTo(rev);
            assertThat(read.value().orElseThrow().value()).isEqualTo(large);
            assertThat(read.revision()).isGreaterThanOrEqualTo(rev);
            assertThat(calls).containsExactly(Map.entry("stamp", 1));
            calls.clear();
            Snapshot async = Futures.join(store.getAsync(key).orElseThrow());
            assertThat(async.value().orElseThrow().value()).isEqualTo(large);
            assertThat(calls).containsExactly(Map.entry("stampAsync", 1));
            // written around the cache and read at once, without blocking: etcd's value, not the cache's older one
            long around = etcdStore.update(key, large.clone(), rev);
            assertThat(Futures.join(store.getAsync(key).orElseThrow()).value().orElseThrow().modRevision())
                    .isEqualTo(around);
            rev = around;
            store.getNotOlderThan(key, rev);
            // written around the cache and read at once: the answer is current whichever copy it came from
            long second = etcdStore.update(key, large.clone(), rev);
            assertThat(store.get(key).value().orElseThrow().modRevision()).isEqualTo(second);
            etcdStore.delete(key, second);
            assertThat(store.get(key).value()).isEmpty();
            // a small value is one plain read: its revision alone would cost etcd as much
            long small = store.create(prefix + "small", "v".getBytes(StandardCharsets.UTF_8));
            store.getNotOlderThan(prefix + "small", small);
            calls.clear();
            assertThat(store.get(prefix + "small").value().orElseThrow().valueAsString()).isEqualTo("v");
            assertThat(calls).containsExactly(Map.entry("get", 1));
        }
    }

    @Test
    @DisplayName("a broken etcd watch resumes after the last revision: no relist, client watches see every change")
    void brokenWatchResumes() throws Exception {
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        java.util.concurrent.BlockingQueue<WatchListener> upstreams = new java.util.concurrent.LinkedBlockingQueue<>();
        Store observed = ObservedStore.of(etcdStore, (method, args) -> {
            calls.merge(method, 1, Integer::sum);
            if (method.equals("watchLatest")) {
                upstreams.add((WatchListener) args[2]);
            }
        });
        String prefix = "/contract/resume/" + UUID.randomUUID() + "/";
        try (CachingStore store = new CachingStore(observed, List.of(prefix), CAPACITY)) {
            assertThat(store.awaitReady(Duration.ofSeconds(10))).isTrue();
            long first = store.create(prefix + "a", "1".getBytes(StandardCharsets.UTF_8));
            store.getNotOlderThan(prefix + "a", first);
            java.util.concurrent.BlockingQueue<Object> seen = new java.util.concurrent.LinkedBlockingQueue<>();
            Subscription client = store.watch(prefix, first, new WatchListener() {
                @Override
                public void onChange(Change change) {
                    seen.add(change.revision());
                }

                @Override
                public void onError(StorageException error) {
                    seen.add(error);
                }
            });
            // the etcd watch breaks as when etcd restarts
            upstreams.poll(10, java.util.concurrent.TimeUnit.SECONDS)
                    .onError(new StorageException.Unavailable("etcd watch failed: connection closed", null));
            assertThat(upstreams.poll(10, java.util.concurrent.TimeUnit.SECONDS)).as("the watch resumed").isNotNull();
            long second = etcdStore.update(prefix + "a", "2".getBytes(StandardCharsets.UTF_8), first);
            assertThat(seen.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(second);
            assertThat(store.getNotOlderThan(prefix + "a", second).value().orElseThrow().valueAsString())
                    .isEqualTo("2");
            assertThat(calls.get("watchLatest")).isEqualTo(2);
            assertThat(calls.get("list")).isEqualTo(1);
            assertThat(seen).isEmpty();
            client.close();
        }
    }

    @Test
    @DisplayName("thousands of keys deleted in one etcd revision (a ranged delete) all leave the cache")
    void rangedDelete() throws Exception {
        String prefix = "/contract/ranged/" + UUID.randomUUID() + "/";
        byte[] value = "x".repeat(1500).getBytes(StandardCharsets.UTF_8);
        long created = 0;
        for (int i = 0; i < 5_000; i++) {
            created = etcdStore.create(prefix + i, value);
        }
        Recorder recorder = new Recorder();
        // how the changes arrive: one revision comes in one call, so nothing can come between its changes
        java.util.concurrent.BlockingQueue<Integer> batches = new java.util.concurrent.LinkedBlockingQueue<>();
        WatchListener batchSizes = new WatchListener() {
            @Override
            public void onChange(Change change) {
                batches.add(1);
            }

            @Override
            public void onChanges(List<Change> changes) {
                batches.add(changes.size());
            }

            @Override
            public void onError(StorageException error) {
            }
        };
        try (Subscription ignored = cache.watch(prefix, created, recorder);
                Subscription batched = cache.watch(prefix, created, batchSizes)) {
            long deleted = etcdStore.client().getKVClient().delete(io.etcd.jetcd.ByteSequence.from(prefix,
                    StandardCharsets.UTF_8), io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build())
                    .join().getHeader().getRevision();
            assertThat(cache.listNotOlderThan(prefix, deleted).items()).isEmpty();
            java.util.Set<String> gone = new java.util.HashSet<>();
            for (int i = 0; i < 5_000; i++) {
                Change change = recorder.next();
                assertThat(change.type()).isEqualTo(Change.Type.DELETE);
                assertThat(change.revision()).isEqualTo(deleted);
                gone.add(change.key());
            }
            assertThat(gone).hasSize(5_000);
            assertThat(batches.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(5_000);
        }
    }

    @Test
    @DisplayName("a read from a revision the cache will not reach within 3 s is FutureRevision")
    void futureRevision() {
        Instant start = Instant.now();
        assertThatThrownBy(() -> cache.listNotOlderThan("/contract/", 1_000_000_000L))
                .isInstanceOf(StorageException.FutureRevision.class);
        assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    }

    @Test
    @DisplayName("keys outside the cached prefixes pass through to etcd, watches included")
    void passThrough() throws Exception {
        String prefix = "/elsewhere/" + UUID.randomUUID() + "/";
        long rev = cache.create(prefix + "a", "1".getBytes(StandardCharsets.UTF_8));
        Recorder recorder = new Recorder();
        try (Subscription ignored = cache.watch(prefix, rev, recorder)) {
            long next = cache.update(prefix + "a", "2".getBytes(StandardCharsets.UTF_8), rev);
            assertThat(recorder.next().revision()).isEqualTo(next);
        }
    }

    @Test
    @DisplayName("the ring of recent changes is bounded by bytes too: older watches are Compacted, state stays whole")
    void ringBoundedByBytes() throws Exception {
        String prefix = "/bytes/" + UUID.randomUUID() + "/";
        byte[] big = new byte[4096];
        try (CachingStore bounded = new CachingStore(etcdStore, List.of(prefix), 1000, 10_000)) {
            assertThat(bounded.awaitReady(Duration.ofSeconds(10))).isTrue();
            long first = bounded.create(prefix + "a", big);
            long rev = first;
            for (int i = 0; i < 4; i++) {
                rev = bounded.update(prefix + "a", big, rev);
            }
            long last = rev;
            // each update holds its previous and current value (8 KiB): only the newest fits in 10,000 bytes
            assertThat(bounded.getNotOlderThan(prefix + "a", last).value().orElseThrow().modRevision())
                    .isEqualTo(last);
            assertThatThrownBy(() -> bounded.watch(prefix, first, new Recorder()))
                    .isInstanceOf(StorageException.Compacted.class);
            Recorder recorder = new Recorder();
            try (Subscription ignored = bounded.watch(prefix, last - 1, recorder)) {
                assertThat(recorder.next().revision()).isEqualTo(last);
            }
        }
    }

    static EtcdStore backing() {
        return etcdStore;
    }
}
