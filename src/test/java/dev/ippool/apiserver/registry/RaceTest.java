package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.kinds.IPPool;
import dev.ippool.apiserver.storage.Futures;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.ListRequest;
import dev.ippool.apiserver.storage.Page;
import dev.ippool.apiserver.storage.Snapshot;
import dev.ippool.apiserver.storage.Store;
import dev.ippool.apiserver.storage.Subscription;
import dev.ippool.apiserver.storage.WatchListener;
import dev.ippool.apiserver.support.PrivateEtcd;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the registry does when another writer wins the race between its read and its conditional write. A
 * decorator around the real etcd store makes the race deterministic: just before the registry's next update it
 * performs another real write to the same key.
 */
class RaceTest extends PrivateEtcd {

    private final Codec codec = new Codec();

    /** Runs {@code interloper} once, right before the next update reaches etcd. */
    static final class RacingStore implements Store {
        final AtomicReference<Runnable> interloper = new AtomicReference<>();
        /** What a lagging watch cache would hand out as the first attempt's state (null: nothing cached). */
        final AtomicReference<KeyValue> cached = new AtomicReference<>();
        /** The thread each asynchronous update was issued from. */
        final List<String> writers = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Reads of a value, and reads of a mod revision only. */
        final java.util.concurrent.atomic.AtomicInteger valueReads = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger stampReads = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public java.util.Optional<KeyValue> possiblyStale(String key) {
            return java.util.Optional.ofNullable(cached.get());
        }

        @Override
        public Snapshot get(String key) {
            valueReads.incrementAndGet();
            return etcdStore.get(key);
        }

        @Override
        public Stamp stamp(String key) {
            stampReads.incrementAndGet();
            return etcdStore.stamp(key);
        }

        @Override
        public java.util.Optional<java.util.concurrent.CompletionStage<Stamp>> stampAsync(String key) {
            stampReads.incrementAndGet();
            return etcdStore.stampAsync(key);
        }

        @Override
        public Page list(ListRequest request) {
            return etcdStore.list(request);
        }

        @Override
        public long create(String key, byte[] value) {
            return etcdStore.create(key, value);
        }

        @Override
        public long update(String key, byte[] value, long expectedModRevision) {
            Runnable r = interloper.getAndSet(null);
            if (r != null) {
                r.run();
            }
            return etcdStore.update(key, value, expectedModRevision);
        }

        /**
         * The same race, with etcd's own asynchronous write: the retry runs on its completion thread. The
         * interloper's blocking calls run on a thread of their own, as the caller may be a jetcd thread.
         */
        @Override
        public java.util.concurrent.CompletionStage<Long> updateAsync(String key, byte[] value,
                long expectedModRevision) {
            writers.add(Thread.currentThread().getName());
            Runnable r = interloper.getAndSet(null);
            return java.util.concurrent.CompletableFuture.runAsync(r != null ? r : () -> { })
                    .thenCompose(v -> etcdStore.updateAsync(key, value, expectedModRevision));
        }

        @Override
        public java.util.Optional<java.util.concurrent.CompletionStage<Snapshot>> getAsync(String key) {
            valueReads.incrementAndGet();
            return etcdStore.getAsync(key);
        }

        @Override
        public long delete(String key, long expectedModRevision) {
            return etcdStore.delete(key, expectedModRevision);
        }

        @Override
        public Subscription watch(String prefix, long afterRevision, WatchListener listener) {
            return etcdStore.watch(prefix, afterRevision, listener);
        }
    }

    private final RacingStore store = new RacingStore();
    final ResourceRegistry registry = new ResourceRegistry(IPPool.definition(), store, codec, new Names(),
            Clock.systemUTC(), "/registry");
    final String ns = "r-" + UUID.randomUUID().toString().substring(0, 8);

    private String createPool() throws Exception {
        Body body = new Body(codec.mapper().readTree("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"range\":"
                + "\"10.0.0.0/24\",\"allocations\":{}}}"), List.of());
        return registry.creator().create(ns, body, WriteOptions.none(), new Warnings()).object().path("metadata")
                .path("resourceVersion").asText();
    }

    /** Another writer adds allocation {@code key}, with a real conditional write. */
    private Runnable otherWriterAdds(String key) {
        return () -> {
            KeyValue kv = etcdStore.get("/registry/whereabouts.cni.cncf.io/ippools/" + ns + "/p").value().orElseThrow();
            ObjectNode object = codec.decodeStored(kv.value());
            ((ObjectNode) object.path("spec").path("allocations")).putObject(key).put("id", "other")
                    .put("podref", "x/other");
            etcdStore.update(kv.key(), codec.encode(object), kv.modRevision());
        };
    }

    private ObjectNode jsonPatch(String ops) throws Exception {
        return patch(ResourceRegistry.PatchType.JSON_PATCH, codec.mapper().readTree(ops)).object();
    }

    private final java.util.concurrent.ExecutorService blocking = java.util.concurrent.Executors.newCachedThreadPool();
    /** The caller's own thread, as a request's event loop is: what follows etcd's answers must run there. */
    final java.util.concurrent.ExecutorService home = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> new Thread(r, "home"));

    @org.junit.jupiter.api.AfterEach
    void stopBlocking() {
        blocking.shutdownNow();
        home.shutdownNow();
    }

    /** Where the verbs offload to: here only what blocks, as a worker pool takes it. */
    Offload offload() {
        return new Offload(blocking, home);
    }

    private Written patch(ResourceRegistry.PatchType type, com.fasterxml.jackson.databind.JsonNode body) {
        return Futures.join(registry.patchAsync(ns, "p", type, body, WriteOptions.none(), new Warnings(), offload()));
    }

    @Test
    @DisplayName("a patch without a resourceVersion test is re-applied to the winner's state and lands, the retry"
            + " back on the caller's thread rather than etcd's")
    void patchReapplied() throws Exception {
        createPool();
        store.interloper.set(otherWriterAdds("7"));
        ObjectNode result = jsonPatch("[{\"op\":\"add\",\"path\":\"/spec/allocations/1\",\"value\":{\"id\":\"mine\","
                + "\"podref\":\"x/mine\"}}]");
        assertThat(result.path("spec").path("allocations").has("7")).isTrue();
        assertThat(result.path("spec").path("allocations").path("1").path("id").asText()).isEqualTo("mine");
        assertThat(store.interloper.get()).isNull();
        assertThat(store.writers).hasSize(2);
        assertThat(store.writers.get(1)).as("the retry's write, after etcd answered Conflict").isEqualTo("home");
    }

    @Test
    @DisplayName("a patch whose resourceVersion test goes stale in the race is 422 Invalid, never 409")
    void staleTestIsInvalid() throws Exception {
        String rv = createPool();
        store.interloper.set(otherWriterAdds("7"));
        assertThatThrownBy(() -> jsonPatch("[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                + rv + "\"},{\"op\":\"add\",\"path\":\"/spec/allocations/7\",\"value\":{\"id\":\"mine\","
                + "\"podref\":\"x/mine\"}}]"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.status().reason()).isEqualTo("Invalid");
                    assertThat(e.status().message())
                            .isEqualTo("the server rejected our request due to an error in our request");
                });
        KeyValue stored = etcdStore.get("/registry/whereabouts.cni.cncf.io/ippools/" + ns + "/p").value().orElseThrow();
        assertThat(new String(stored.value(), StandardCharsets.UTF_8)).contains("\"id\":\"other\"")
                .doesNotContain("mine");
    }

    private KeyValue stored() {
        return etcdStore.get("/registry/whereabouts.cni.cncf.io/ippools/" + ns + "/p").value().orElseThrow();
    }

    @Test
    @DisplayName("from a stale cached copy: a current resourceVersion test lands, an old one is 422, a gone object"
            + " 404, a would-be no-op is written, and nothing the cache missed is lost")
    void staleCachedCopy() throws Exception {
        String first = createPool();
        store.cached.set(stored());
        otherWriterAdds("7").run();
        String current = Long.toString(stored().modRevision());
        ObjectNode result = jsonPatch("[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                + current + "\"},{\"op\":\"add\",\"path\":\"/spec/allocations/1\",\"value\":{\"id\":\"mine\","
                + "\"podref\":\"x/mine\"}}]");
        assertThat(result.path("spec").path("allocations").has("7")).isTrue();
        assertThat(result.path("spec").path("allocations").path("1").path("id").asText()).isEqualTo("mine");

        // the cache is at the current revision now, the client's test is older: 422 without re-applying, and
        // whether the object exists is all that is read from etcd (its mod revision, not its value)
        store.cached.set(stored());
        store.valueReads.set(0);
        store.stampReads.set(0);
        assertThatThrownBy(() -> jsonPatch("[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                + first + "\"}]")).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThat(store.valueReads.get()).isZero();
        assertThat(store.stampReads.get()).isEqualTo(1);

        // removing allocation 7 is a no-op against a copy from before it was added, not against etcd
        store.cached.set(stored());
        jsonPatch("[{\"op\":\"remove\",\"path\":\"/spec/allocations/7\"}]");
        KeyValue beforeSeven = stored();
        otherWriterAdds("7").run();
        KeyValue withSeven = stored();
        store.cached.set(beforeSeven);
        ObjectNode removed = patch(ResourceRegistry.PatchType.MERGE_PATCH,
                codec.mapper().readTree("{\"spec\":{\"allocations\":{\"7\":null}}}")).object();
        assertThat(removed.path("spec").path("allocations").has("7")).isFalse();
        assertThat(stored().modRevision()).isGreaterThan(withSeven.modRevision());

        // a cached copy of an object that is gone: 404 as from etcd
        KeyValue last = stored();
        etcdStore.delete(last.key(), last.modRevision());
        store.cached.set(last);
        assertThatThrownBy(() -> jsonPatch("[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                + first + "\"}]")).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
        assertThatThrownBy(() -> jsonPatch("[{\"op\":\"add\",\"path\":\"/spec/allocations/2\",\"value\":"
                + "{\"id\":\"a\",\"podref\":\"x/a\"}}]"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    @DisplayName("a PUT that loses the race is 409 Conflict and the winner's write stands")
    void putConflicts() throws Exception {
        String rv = createPool();
        store.interloper.set(otherWriterAdds("7"));
        Body body = new Body(codec.mapper().readTree("{\"metadata\":{\"name\":\"p\",\"resourceVersion\":\"" + rv
                + "\"},\"spec\":{\"range\":\"10.9.0.0/24\",\"allocations\":{}}}"), List.of());
        assertThatThrownBy(() -> Futures.join(registry.updater().updateAsync(ns, "p", body, WriteOptions.none(), new Warnings(),
                offload())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.status().reason()).isEqualTo("Conflict");
                });
    }
}
