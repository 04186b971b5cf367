package dev.ippool.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippool.apiserver.storage.cache.CachingStore;
import dev.ippool.apiserver.storage.etcd.EtcdStore;
import dev.ippool.apiserver.support.ObservedStore;
import dev.ippool.apiserver.support.PrivateEtcd;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the watch cache loads what etcd holds: in pages, at one revision. */
class CacheLoadTest extends PrivateEtcd {

    private static final int INBOUND = 12 << 20;

    @Test
    @DisplayName("a prefix too large for one etcd response loads in pages, all at the first page's revision")
    void loadsInPages() {
        String prefix = "/paged/";
        byte[] value = new byte[20 * 1024];
        Arrays.fill(value, (byte) 'x');
        long last = 0;
        // 20 MB: one range of it is past the store's 12 MiB inbound limit, so an unpaged load never succeeds
        for (int i = 0; i < 1000; i++) {
            last = etcdStore.create(prefix + String.format("%04d", i), value);
        }
        List<ListRequest> lists = new CopyOnWriteArrayList<>();
        byte[] changed = {'z'};
        try (EtcdStore limited = new EtcdStore(EtcdStore.connect(List.of(etcd.clientUrl()), Duration.ofSeconds(5),
                INBOUND), Duration.ofSeconds(5))) {
            long lastCreate = last;
            Store observed = ObservedStore.of(limited, (method, args) -> {
                if (method.equals("list") && lists.add((ListRequest) args[0]) && lists.size() == 2) {
                    // a write between two pages: later pages must not see it, the watch from the load's revision must
                    etcdStore.update(prefix + "0999", changed, lastCreate);
                }
            });
            try (CachingStore cache = new CachingStore(observed, List.of(prefix), 16)) {
                assertThat(cache.awaitReady(Duration.ofSeconds(30))).as("the watch cache loaded").isTrue();
                assertThat(lists).hasSizeGreaterThan(2);
                assertThat(lists.get(0).revision()).isZero();
                assertThat(lists.subList(1, lists.size())).allSatisfy(page -> {
                    assertThat(page.revision()).isEqualTo(lastCreate);
                    assertThat(page.startKey()).startsWith(prefix);
                });
                Page loaded = cache.listNotOlderThan(prefix, lastCreate + 1);
                assertThat(loaded.items()).hasSize(1000);
                assertThat(loaded.items().subList(0, 999)).allSatisfy(kv -> assertThat(kv.value()).isEqualTo(value));
                assertThat(loaded.items().get(999).key()).isEqualTo(prefix + "0999");
                assertThat(loaded.items().get(999).value()).isEqualTo(changed);
            }
        }
    }
}
