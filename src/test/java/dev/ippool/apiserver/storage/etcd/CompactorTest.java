package dev.ippool.apiserver.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippool.apiserver.storage.ListRequest;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.support.PrivateEtcd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CompactorTest extends PrivateEtcd {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("each tick compacts to the revision of the previous one: one interval of history survives")
    void keepsOneInterval() {
        Compactor compactor = new Compactor(etcdStore.client(), Duration.ofSeconds(5));
        long before = etcdStore.create("/c/a", bytes("1"));
        assertThat(compactor.tick()).isZero(); // the first tick only records where it was
        long kept = etcdStore.create("/c/b", bytes("2"));
        long compactedTo = compactor.tick();
        assertThat(compactedTo).isGreaterThan(before).isLessThan(kept);
        assertThatThrownBy(() -> etcdStore.list(new ListRequest("/c/", null, before, 0)))
                .isInstanceOf(StorageException.Compacted.class);
        assertThat(etcdStore.list(new ListRequest("/c/", null, kept, 0)).items()).hasSize(2);
    }

    @Test
    @DisplayName("two replicas ticking together: only one compacts per interval")
    void replicasTakeTurns() {
        Compactor one = new Compactor(etcdStore.client(), Duration.ofSeconds(5));
        Compactor two = new Compactor(etcdStore.client(), Duration.ofSeconds(5));
        one.tick();
        two.tick();
        etcdStore.create("/r/" + System.nanoTime(), bytes("x"));
        long a = one.tick();
        long b = two.tick();
        assertThat(a == 0 || b == 0).isTrue();
    }
}
