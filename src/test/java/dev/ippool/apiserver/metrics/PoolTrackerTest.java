package dev.ippool.apiserver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.storage.Store;
import dev.ippool.apiserver.storage.WatchListener;
import dev.ippool.apiserver.storage.cache.CachingStore;
import dev.ippool.apiserver.support.ObservedStore;
import dev.ippool.apiserver.support.PrivateEtcd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Utilisation figures from one list, then from what a watch on the cache saw change; a list again once it ends. */
class PoolTrackerTest extends PrivateEtcd {

    private static byte[] pool(String name, int allocations) {
        StringBuilder a = new StringBuilder();
        for (int i = 1; i <= allocations; i++) {
            a.append(i == 1 ? "" : ",").append("\"").append(i).append("\":{\"id\":\"c").append(i)
                    .append("\",\"podref\":\"ns/p").append(i).append("\"}");
        }
        return ("{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\",\"metadata\":{\"name\":\""
                + name + "\",\"namespace\":\"ns\"},\"spec\":{\"range\":\"10.0.0.0/24\",\"allocations\":{" + a + "}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Integer> used(PoolTracker tracker) {
        Map<String, Integer> used = new TreeMap<>();
        tracker.figures().forEach(f -> used.put(f.name(), f.used()));
        return used;
    }

    /** Refreshes until {@code done}, for at most 10 s: the cache applies etcd's events on its own thread. */
    private static boolean refreshUntil(PoolTracker tracker, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            tracker.refresh();
            if (done.getAsBoolean()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // the cache applies events on its own thread
        }
        return false;
    }

    @Test
    @DisplayName("a list at the start, then only the watched changes; after the watch ends, a fresh list")
    void listsThenFollowsThenRelists() throws Exception {
        String prefix = "/tracker/" + UUID.randomUUID() + "/";
        etcdStore.create(prefix + "ns/a", pool("a", 1));
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        List<WatchListener> listeners = new CopyOnWriteArrayList<>();
        try (CachingStore cache = new CachingStore(etcdStore, List.of(prefix), 64)) {
            assertThat(cache.awaitReady(Duration.ofSeconds(10))).isTrue();
            // the tracker's view of the store: counts its lists and keeps its watch listeners, to end a watch as a
            // cache reload would
            Store seen = ObservedStore.of(cache, (method, args) -> {
                calls.merge(method, 1, Integer::sum);
                if (method.equals("watch")) {
                    listeners.add((WatchListener) args[2]);
                }
            });
            try (PoolTracker tracker = new PoolTracker(seen, prefix, new JsonFactory())) {
                tracker.refresh();
                assertThat(used(tracker)).isEqualTo(Map.of("a", 1));

                long b = etcdStore.create(prefix + "ns/b", pool("b", 2));
                KeyValue a = cache.get(prefix + "ns/a").value().orElseThrow();
                etcdStore.update(prefix + "ns/a", pool("a", 3), a.modRevision());
                assertThat(refreshUntil(tracker, () -> used(tracker).equals(Map.of("a", 3, "b", 2)))).isTrue();
                etcdStore.delete(prefix + "ns/b", b);
                assertThat(refreshUntil(tracker, () -> used(tracker).equals(Map.of("a", 3)))).isTrue();
                assertThat(calls).as("one list, one watch").containsEntry("listNotOlderThan", 1)
                        .containsEntry("watch", 1);

                // the watch ends (the cache reloads): the next refresh lists again and watches from there
                listeners.get(0).onError(new StorageException.Unavailable("watch cache restarting", null));
                etcdStore.create(prefix + "ns/c", pool("c", 4));
                assertThat(refreshUntil(tracker, () -> used(tracker).equals(Map.of("a", 3, "c", 4)))).isTrue();
                assertThat(calls).containsEntry("listNotOlderThan", 2).containsEntry("watch", 2);

                // the ended watch may still be delivering: what it sends counts no more
                listeners.get(0).onError(new StorageException.Unavailable("late", null));
                tracker.refresh();
                assertThat(calls).as("no third list").containsEntry("listNotOlderThan", 2);
                etcdStore.create(prefix + "ns/d", pool("d", 5));
                assertThat(refreshUntil(tracker, () -> used(tracker).equals(Map.of("a", 3, "c", 4, "d", 5))))
                        .isTrue();
            }
        }
    }
}
