package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.kinds.IPPool;
import dev.ippool.apiserver.support.PrivateEtcd;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** generateName collisions, forced with a chosen random source, on real etcd. */
class GenerateNameTest extends PrivateEtcd {

    private final Codec codec = new Codec();

    private ResourceRegistry registry(RandomGenerator random) {
        return new ResourceRegistry(IPPool.definition(), etcdStore, codec, new Names(random), Clock.systemUTC(),
                "/registry");
    }

    private Body body() throws Exception {
        JsonNode value = codec.mapper().readTree("{\"metadata\":{\"generateName\":\"pool-\"},\"spec\":{\"range\":"
                + "\"10.0.0.0/24\",\"allocations\":{}}}");
        return new Body(value, List.of());
    }

    /** Returns 0 for the first {@code zeros} draws, then 1: names collide until the sixth character draw. */
    private static RandomGenerator collidingFor(int zeros) {
        AtomicInteger draws = new AtomicInteger();
        return () -> draws.getAndIncrement() < zeros ? 0L : Long.MAX_VALUE / 27 * 1;
    }

    @Test
    @DisplayName("a generated name that collides is generated again, and the create succeeds")
    void retriesOnCollision() throws Exception {
        String ns = "g-" + UUID.randomUUID().toString().substring(0, 8);
        registry(() -> 0L).creator().create(ns, body(), WriteOptions.none(), new Warnings());
        // 5 draws of 0 rebuild the taken name "pool-bbbbb"; the next attempt draws other characters
        String name = registry(collidingFor(5)).creator().create(ns, body(), WriteOptions.none(), new Warnings())
                .object().path("metadata").path("name").asText();
        assertThat(name).startsWith("pool-").isNotEqualTo("pool-bbbbb");
    }

    @Test
    @DisplayName("after 8 colliding attempts: 409 AlreadyExists, unable to generate a unique name, retry after 1s")
    void givesUpAfterEightAttempts() throws Exception {
        String ns = "g-" + UUID.randomUUID().toString().substring(0, 8);
        ResourceRegistry alwaysSame = registry(() -> 0L);
        alwaysSame.creator().create(ns, body(), WriteOptions.none(), new Warnings());
        assertThatThrownBy(() -> alwaysSame.creator().create(ns, body(), WriteOptions.none(), new Warnings()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.status().reason()).isEqualTo("AlreadyExists");
                    assertThat(e.status().message()).isEqualTo("ippools.whereabouts.cni.cncf.io \"pool-bbbbb\" already"
                            + " exists, the server was not able to generate a unique name for the object");
                    assertThat(e.status().details().retryAfterSeconds()).isEqualTo(1);
                });
    }
}
