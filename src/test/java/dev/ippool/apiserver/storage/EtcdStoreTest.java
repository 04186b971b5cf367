package dev.ippool.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import dev.ippool.apiserver.storage.etcd.EtcdStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@link StoreContract} on a private etcd, plus what only the etcd implementation can show. */
class EtcdStoreTest extends StoreContract {

    @Override
    protected Store store() {
        return etcdStore;
    }

    @Override
    protected void compact(long revision) {
        etcdStore.client().getKVClient().compact(revision).join();
    }

    @Test
    @DisplayName("watchLatest asks etcd for no previous values: an update and a delete come without them")
    void watchLatestWithoutPrevious() throws Exception {
        String prefix = "/latest/" + System.nanoTime() + "/";
        long start = etcdStore.create(prefix + "seed", "0".getBytes(StandardCharsets.UTF_8));
        Recorder recorder = new Recorder();
        try (Subscription ignored = etcdStore.watchLatest(prefix, start, recorder)) {
            long a = etcdStore.create(prefix + "a", "1".getBytes(StandardCharsets.UTF_8));
            long b = etcdStore.update(prefix + "a", "2".getBytes(StandardCharsets.UTF_8), a);
            etcdStore.delete(prefix + "a", b);
            assertThat(recorder.next(3)).extracting(Change::previous).containsOnlyNulls();
        }
    }

    @Test
    @DisplayName("an unreachable etcd fails with Unavailable within the deadline, never hangs")
    void unreachable() {
        String dead = "http://127.0.0.1:" + EtcdProcess.freePort();
        try (EtcdStore down = new EtcdStore(EtcdStore.connect(List.of(dead), Duration.ofMillis(500), 1 << 20),
                Duration.ofMillis(500))) {
            Instant start = Instant.now();
            assertThatThrownBy(() -> down.get("/x")).isInstanceOf(StorageException.Unavailable.class);
            // the deadline bounds the call; a generous margin keeps this honest on a loaded 2-core machine
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    @DisplayName("closing the store ends its watches quietly: a listener hears nothing more, no error")
    void closeIsQuiet() throws InterruptedException {
        EtcdStore own = new EtcdStore(EtcdStore.connect(List.of(etcd.clientUrl()), Duration.ofSeconds(5), 1 << 20),
                Duration.ofSeconds(5));
        String prefix = "/quiet/" + System.nanoTime() + "/";
        long start = own.create(prefix + "a", new byte[] {'1'});
        Recorder recorder = new Recorder();
        own.watch(prefix, start - 1, recorder);
        assertThat(recorder.next().key()).isEqualTo(prefix + "a");
        // on shutdown the watch cache would take an error for a broken connection and try to resume
        own.close();
        assertThat(recorder.quietFor(2000)).isTrue();
    }
}
