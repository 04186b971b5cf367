package dev.ippool.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippool.apiserver.storage.cache.CachingStore;
import dev.ippool.apiserver.support.ObservedStore;
import dev.ippool.apiserver.support.PrivateEtcd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cache remembers this server's own writes until their watch events arrive: the next write of the key starts
 * from them, and a large consistent read is answered from them once etcd confirms they are current.
 */
class OwnWritesTest extends PrivateEtcd {

    /** Holds back what the etcd watch delivers while {@link #hold} is set, as a slow event would be. */
    private static final class Delayed implements WatchListener {
        private final WatchListener delegate;
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding;

        Delayed(WatchListener delegate) {
            this.delegate = delegate;
        }

        synchronized void hold() {
            holding = true;
        }

        synchronized void release() {
            holding = false;
            held.forEach(Runnable::run);
            held.clear();
        }

        private synchronized void deliver(Runnable r) {
            if (holding) {
                held.add(r);
            } else {
                r.run();
            }
        }

        @Override
        public void onChange(Change change) {
            deliver(() -> delegate.onChange(change));
        }

        @Override
        public void onChanges(List<Change> changes) {
            deliver(() -> delegate.onChanges(changes));
        }

        @Override
        public void onProgress(long revision) {
            deliver(() -> delegate.onProgress(revision));
        }

        @Override
        public void onError(StorageException error) {
            deliver(() -> delegate.onError(error));
        }
    }

    private static byte[] large(char c) {
        return String.valueOf(c).repeat(CachingStore.STAMPED_READ_BYTES).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("own writes are the starting copy and answer large consistent reads before their events arrive")
    void ownWritesBeforeTheirEvents() throws Exception {
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        List<Delayed> watches = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch watching = new java.util.concurrent.CountDownLatch(1);
        Store slowWatch = ObservedStore.of(etcdStore, (method, args) -> {
            calls.merge(method, 1, Integer::sum);
            if (method.equals("watchLatest")) {
                Delayed delayed = new Delayed((WatchListener) args[2]);
                watches.add(delayed);
                args[2] = delayed;
                watching.countDown();
            }
        });
        String prefix = "/own/" + UUID.randomUUID() + "/";
        String key = prefix + "pool";
        try (CachingStore store = new CachingStore(slowWatch, List.of(prefix), 16)) {
            assertThat(store.awaitReady(Duration.ofSeconds(10))).isTrue();
            // the reflector opens its etcd watch just after the cache becomes ready: hold that watch, not none
            assertThat(watching.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            watches.forEach(Delayed::hold);

            long created = store.create(key, large('a'));
            KeyValue start = store.possiblyStale(key).orElseThrow();
            assertThat(start.modRevision()).isEqualTo(created);
            assertThat(start.createRevision()).isEqualTo(created);
            assertThat(start.value()).isEqualTo(large('a'));
            calls.clear();
            Snapshot read = store.get(key);
            assertThat(read.value().orElseThrow().modRevision()).isEqualTo(created);
            assertThat(read.value().orElseThrow().value()).isEqualTo(large('a'));
            assertThat(calls).as("one keys-only read, no value read").containsExactly(Map.entry("stamp", 1));

            long updated = store.update(key, large('b'), created);
            KeyValue next = store.possiblyStale(key).orElseThrow();
            assertThat(next.modRevision()).isEqualTo(updated);
            assertThat(next.createRevision()).isEqualTo(created);
            calls.clear();
            assertThat(store.get(key).value().orElseThrow().value()).isEqualTo(large('b'));
            assertThat(calls).containsExactly(Map.entry("stamp", 1));

            // the asynchronous update remembers its write as the blocking one does
            long again = Futures.join(store.updateAsync(key, large('d'), updated));
            KeyValue third = store.possiblyStale(key).orElseThrow();
            assertThat(third.modRevision()).isEqualTo(again);
            assertThat(third.createRevision()).isEqualTo(created);
            assertThat(third.value()).isEqualTo(large('d'));
            calls.clear();
            assertThat(store.get(key).value().orElseThrow().value()).isEqualTo(large('d'));
            assertThat(calls).containsExactly(Map.entry("stamp", 1));

            // written around this server: its own write is stale now, and a consistent read must not answer it
            long around = etcdStore.update(key, large('c'), again);
            Snapshot current = store.get(key);
            assertThat(current.value().orElseThrow().modRevision()).isEqualTo(around);
            assertThat(current.value().orElseThrow().value()).isEqualTo(large('c'));

            long deleted = Futures.join(store.deleteAsync(key, around));
            assertThat(store.possiblyStale(key)).as("deleted by this server").isEmpty();

            watches.forEach(Delayed::release);
            assertThat(store.getNotOlderThan(key, deleted).value()).isEmpty();
            assertThat(store.possiblyStale(key)).isEmpty();
        }
    }
}
