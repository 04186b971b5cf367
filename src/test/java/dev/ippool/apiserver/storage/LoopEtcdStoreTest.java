package dev.ippool.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import dev.ippool.apiserver.storage.etcd.EtcdStore;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@link StoreContract} on the etcd store as the application opens it, its request-path calls on the event
 * loops' own channels; plus where those calls are answered and how they fail.
 */
class LoopEtcdStoreTest extends StoreContract {

    private static Vertx vertx;
    private static EtcdStore loopStore;

    @BeforeAll
    static void open() {
        vertx = Vertx.vertx();
        loopStore = EtcdStore.open(List.of(etcd.clientUrl()), Duration.ofSeconds(5), 1 << 26, vertx);
        // the channels open on a thread of their own; the contract suite and the tests below are about them
        loopStore.ready().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @AfterAll
    static void close() {
        loopStore.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Override
    protected Store store() {
        return loopStore;
    }

    @Override
    protected void compact(long revision) {
        loopStore.client().getKVClient().compact(revision).join();
    }

    @Test
    @DisplayName("a call made on an event loop is answered on that loop: create, get, stamp, update, delete")
    void answeredOnTheCallingLoop() throws Exception {
        String key = "/loop/" + System.nanoTime();
        byte[] one = "1".getBytes(StandardCharsets.UTF_8);
        long created = onLoop(() -> loopStore.createAsync(key, one));
        assertThat(onLoop(() -> loopStore.getAsync(key).orElseThrow()).value().orElseThrow().modRevision()).isEqualTo(created);
        assertThat(onLoop(() -> loopStore.stampAsync(key).orElseThrow()).modRevision()).isEqualTo(created);
        long updated = onLoop(() -> loopStore.updateAsync(key, one, created));
        onLoop(() -> loopStore.deleteAsync(key, updated));
        assertThat(loopStore.get(key).value()).isEmpty();
    }

    @Test
    @DisplayName("a call made off the event loops (a worker's) is answered on the store's own loop, not on theirs")
    void offLoopAnsweredOnItsOwnLoop() throws Exception {
        String caller = Thread.currentThread().getName();
        for (int attempt = 0; attempt < 20; attempt++) {
            String key = "/offloop/" + System.nanoTime();
            String answeredOn = loopStore.createAsync(key, new byte[] {'1'}).toCompletableFuture()
                    .thenApply(revision -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            // an answer that came before the listener was attached runs it on the caller and shows nothing: try again
            if (!answeredOn.equals(caller)) {
                // a busy application loop (writing watch frames) must not hold up an answer that only goes on to a
                // worker
                assertThat(answeredOn).startsWith("etcd-calls");
                return;
            }
        }
        throw new AssertionError("20 answers all came before a listener could be attached to them");
    }

    /** {@code call} started on an event loop; its answer, checked to arrive on that same thread. */
    private static <T> T onLoop(Supplier<CompletionStage<T>> call) throws Exception {
        CompletableFuture<T> answer = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            Thread loop = Thread.currentThread();
            call.get().whenComplete((value, error) -> {
                if (error != null) {
                    answer.completeExceptionally(error);
                } else if (Thread.currentThread() != loop) {
                    answer.completeExceptionally(new AssertionError("answered on " + Thread.currentThread()
                            + ", called on " + loop + " (jetcd's own Vert.x names its threads alike)"));
                } else {
                    answer.complete(value);
                }
            });
        });
        return answer.get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("an unreachable etcd fails with Unavailable within the deadline, on the loops' channels too")
    void unreachable() {
        String dead = "http://127.0.0.1:" + EtcdProcess.freePort();
        try (EtcdStore down = EtcdStore.open(List.of(dead), Duration.ofMillis(500), 1 << 20, vertx)) {
            down.ready().orTimeout(10, TimeUnit.SECONDS).join();
            Instant start = Instant.now();
            assertThatThrownBy(() -> down.create("/x", new byte[] {'1'}))
                    .isInstanceOf(StorageException.Unavailable.class);
            assertThatThrownBy(() -> down.get("/x")).isInstanceOf(StorageException.Unavailable.class);
            // the deadline bounds the calls; a generous margin keeps this honest on a loaded 2-core machine
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        }
    }
}
