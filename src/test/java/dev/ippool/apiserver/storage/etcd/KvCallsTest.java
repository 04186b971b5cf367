package dev.ippool.apiserver.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippool.apiserver.storage.StorageException;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Where the request path's calls go when the event loops' channels cannot reach etcd. */
class KvCallsTest {

    private static EtcdProcess etcd;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        etcd = EtcdProcess.startTemporary();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        etcd.close();
    }

    @Test
    @DisplayName("a call the loops' channel refuses as unavailable is made again through jetcd, and succeeds")
    void unavailableGoesThroughJetcd() {
        // the loops' channels point at a port nothing listens on; jetcd at the live etcd
        String dead = "http://127.0.0.1:" + EtcdProcess.freePort();
        LoopChannels refused = LoopChannels.open(vertx, List.of(dead), 1 << 20, 5000).orElseThrow();
        Duration timeout = Duration.ofSeconds(5);
        try (EtcdStore store = new EtcdStore(EtcdStore.connect(List.of(etcd.clientUrl()), timeout, 1 << 20), timeout,
                refused)) {
            String key = "/fallback/" + System.nanoTime();
            long created = store.create(key, "1".getBytes(StandardCharsets.UTF_8));
            assertThat(store.get(key).value().orElseThrow().modRevision()).isEqualTo(created);
            assertThat(store.stamp(key).modRevision()).isEqualTo(created);
            long updated = store.update(key, "2".getBytes(StandardCharsets.UTF_8), created);
            Assertions.assertThatThrownBy(() -> store.delete(key, created))
                    .isInstanceOf(StorageException.Conflict.class);
            store.delete(key, updated);
            assertThat(store.get(key).value()).isEmpty();
        }
    }

    @Test
    @DisplayName("until the loops' channels are attached the calls go through jetcd; after, a loop's call stays on it")
    void attachedLater() throws Exception {
        Duration timeout = Duration.ofSeconds(5);
        try (EtcdStore store = new EtcdStore(EtcdStore.connect(List.of(etcd.clientUrl()), timeout, 1 << 20), timeout,
                null)) {
            String key = "/attach/" + System.nanoTime();
            byte[] one = "1".getBytes(StandardCharsets.UTF_8);
            boolean elsewhere = false;
            // an answer that came before the listener was attached runs it on the caller and shows nothing: again
            for (int attempt = 0; attempt < 20 && !elsewhere; attempt++) {
                elsewhere = !answeredOnCallingLoop(() -> store.getAsync(key).orElseThrow());
            }
            assertThat(elsewhere).as("answered by jetcd, on one of its threads").isTrue();
            store.calls().attach(LoopChannels.open(vertx, List.of(etcd.clientUrl()), 1 << 20, 5000).orElseThrow());
            assertThat(answeredOnCallingLoop(() -> store.createAsync(key, one))).isTrue();
            assertThat(answeredOnCallingLoop(() -> store.getAsync(key).orElseThrow())).isTrue();
        }
    }

    @Test
    @DisplayName("channels attached to closed calls are closed at once, so a slow opening leaks none")
    void attachedAfterClose() {
        Duration timeout = Duration.ofSeconds(5);
        EtcdStore store = new EtcdStore(EtcdStore.connect(List.of(etcd.clientUrl()), timeout, 1 << 20), timeout, null);
        store.close();
        LoopChannels late = LoopChannels.open(vertx, List.of(etcd.clientUrl()), 1 << 20, 5000).orElseThrow();
        assertThat(late.closed()).isFalse();
        store.calls().attach(late);
        assertThat(late.closed()).isTrue();
    }

    /** Whether {@code call}, started on an event loop, was answered on that loop. */
    private static boolean answeredOnCallingLoop(Supplier<CompletionStage<?>> call) throws Exception {
        CompletableFuture<Boolean> sameThread = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            Thread loop = Thread.currentThread();
            call.get().whenComplete((value, error) -> {
                if (error != null) {
                    sameThread.completeExceptionally(error);
                } else {
                    sameThread.complete(Thread.currentThread() == loop);
                }
            });
        });
        return sameThread.get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("no loop channels where jetcd must choose: several endpoints, TLS, or no Vert.x")
    void onlyForOnePlainEndpoint() {
        assertThat(LoopChannels.open(vertx, List.of(etcd.clientUrl()), 1 << 20, 5000)).isPresent()
                .get().satisfies(LoopChannels::close);
        assertThat(LoopChannels.open(vertx, List.of(etcd.clientUrl(), etcd.clientUrl()), 1 << 20, 5000)).isEmpty();
        assertThat(LoopChannels.open(vertx, List.of("https://127.0.0.1:2379"), 1 << 20, 5000)).isEmpty();
        assertThat(LoopChannels.open(null, List.of(etcd.clientUrl()), 1 << 20, 5000)).isEmpty();
    }
}
