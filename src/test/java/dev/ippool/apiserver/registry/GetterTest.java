package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.RawJson;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.kinds.IPPool;
import dev.ippool.apiserver.storage.Futures;
import dev.ippool.apiserver.storage.cache.CachingStore;
import dev.ippool.apiserver.support.PrivateEtcd;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a GET may answer at once (on an event loop) and what it leaves to the blocking read, on real etcd. */
class GetterTest extends PrivateEtcd {

    private final Codec codec = new Codec();
    private final CachingStore cache = new CachingStore(etcdStore, List.of("/registry/"), 64);
    private final ResourceRegistry registry = new ResourceRegistry(IPPool.definition(), cache, codec, new Names(),
            Clock.systemUTC(), "/registry");
    private final Getter getter = registry.getter();
    private final String ns = "g-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void close() {
        cache.close();
    }

    /** Creates a pool and waits until the cache has it; returns its resourceVersion. */
    private String created(String name) throws Exception {
        JsonNode value = codec.mapper().readTree("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"range\":"
                + "\"10.0.0.0/24\",\"allocations\":{\"1\":{\"id\":\"c\",\"podref\":\"ns/pod\"}}}}");
        String rv = registry.creator().create(ns, new Body(value, List.of()), WriteOptions.none(), new Warnings())
                .object().path("metadata").path("resourceVersion").asText();
        getter.get(ns, name, rv);
        return rv;
    }

    @Test
    @DisplayName("resourceVersion 0 or one the cache has reached is answered now, with the blocking read's bytes")
    void cachedReadsNow() throws Exception {
        assertThat(cache.awaitReady(Duration.ofSeconds(10))).isTrue();
        String rv = created("p");
        for (String asked : List.of("0", rv)) {
            RawJson now = getter.getNow(ns, "p", asked, 64 * 1024).orElseThrow();
            assertThat(now.bytes()).isEqualTo(getter.get(ns, "p", asked).bytes()).isEqualTo(getter.get(ns, "p", "").bytes());
            assertThat(codec.mapper().readTree(now.bytes()).path("metadata").path("resourceVersion").asText())
                    .isEqualTo(rv);
        }
        assertThatThrownBy(() -> getter.getNow(ns, "absent", "0", 64 * 1024))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(404);
                    assertThat(e.status().reason()).isEqualTo("NotFound");
                    assertThat(e.status().message()).isEqualTo("ippools.whereabouts.cni.cncf.io \"absent\" not found");
                });
    }

    @Test
    @DisplayName("a consistent read without blocking answers the blocking read's bytes, and 404 for an absent pool")
    void consistentAsync() throws Exception {
        assertThat(cache.awaitReady(Duration.ofSeconds(10))).isTrue();
        created("r");
        RawJson read = Futures.join(getter.getAsync(ns, "r").orElseThrow());
        assertThat(read.bytes()).isEqualTo(getter.get(ns, "r", "").bytes());
        var absent = getter.getAsync(ns, "absent").orElseThrow();
        assertThatThrownBy(() -> Futures.join(absent)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().code()).isEqualTo(404);
            assertThat(e.status().message()).isEqualTo("ippools.whereabouts.cni.cncf.io \"absent\" not found");
        });
    }

    @Test
    @DisplayName("a consistent read, a revision the cache has not reached and a larger object are left to the worker")
    void leftToTheBlockingRead() throws Exception {
        assertThat(cache.awaitReady(Duration.ofSeconds(10))).isTrue();
        String rv = created("q");
        assertThat(getter.getNow(ns, "q", "", 64 * 1024)).as("consistent: etcd decides").isEmpty();
        assertThat(getter.getNow(ns, "q", Long.toString(Long.parseLong(rv) + 1_000_000), 64 * 1024)).isEmpty();
        int size = getter.get(ns, "q", "0").bytes().length;
        assertThat(getter.getNow(ns, "q", "0", size / 2)).as("over the size bound").isEmpty();
        assertThatThrownBy(() -> getter.getNow(ns, "q", "x", 64 * 1024))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().code()).isEqualTo(400));
    }
}
