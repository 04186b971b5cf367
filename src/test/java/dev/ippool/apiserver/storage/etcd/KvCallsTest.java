package dev.ippool.apiserver.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippool.apiserver.storage.StorageException;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
    @DisplayName("no loop channels where jetcd must choose: several endpoints, TLS, or no Vert.x")
    void onlyForOnePlainEndpoint() {
        assertThat(LoopChannels.open(vertx, List.of(etcd.clientUrl()), 1 << 20, 5000)).isPresent()
                .get().satisfies(LoopChannels::close);
        assertThat(LoopChannels.open(vertx, List.of(etcd.clientUrl(), etcd.clientUrl()), 1 << 20, 5000)).isEmpty();
        assertThat(LoopChannels.open(vertx, List.of("https://127.0.0.1:2379"), 1 << 20, 5000)).isEmpty();
        assertThat(LoopChannels.open(null, List.of(etcd.clientUrl()), 1 << 20, 5000)).isEmpty();
    }
}
