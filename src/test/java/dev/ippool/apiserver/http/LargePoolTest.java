package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Pools near etcd's value limit, and lists larger than gRPC's default 4 MiB inbound message. */
@QuarkusTest
class LargePoolTest {

    private static String allocations(int count) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append('"').append(i + 1).append("\":{\"id\":\"").append("f".repeat(64))
                    .append("\",\"ifname\":\"net1\",\"podref\":\"kube-system/pod-").append(i).append("\"}");
        }
        return b.append('}').toString();
    }

    @Test
    @DisplayName("four ~1.3 MB pools read back whole, and listed together (over 4 MiB) in one response")
    void largePoolsAndLists() {
        String ns = freshNamespace();
        String allocations = allocations(10_000);
        for (int p = 0; p < 4; p++) {
            create(ns, poolJson("big-" + p, "10." + p + ".0.0/16", allocations)).then().statusCode(201);
        }
        request().get(pool(ns, "big-0")).then().statusCode(200).body("spec.allocations.size()", equalTo(10_000));
        String list = request().get(pools(ns)).then().statusCode(200).body("items.size()", equalTo(4)).extract()
                .asString();
        // larger than gRPC's default 4 MiB inbound limit, which jetcd would otherwise refuse
        assertThat(list.length()).isGreaterThan(4 * 1024 * 1024);
    }

    @Test
    @DisplayName("a ~1.3 MB pool is patched (JSON and merge patch) and replaced with PUT, bodies over 64 KB too")
    void largePoolWrites() {
        String ns = freshNamespace();
        create(ns, poolJson("big", "10.9.0.0/16", allocations(10_000))).then().statusCode(201);
        String rv = request().contentType("application/json-patch+json").body("[{\"op\":\"test\",\"path\":"
                + "\"/spec/allocations/20001\",\"value\":null},{\"op\":\"add\",\"path\":\"/spec/allocations/20001\","
                + "\"value\":{\"id\":\"x\",\"podref\":\"ns/x\"}}]").patch(pool(ns, "big")).then().statusCode(200)
                .body("spec.allocations.size()", equalTo(10_001)).body("spec.allocations.20001.id", equalTo("x"))
                .extract().path("metadata.resourceVersion");
        // a merge patch body over 64 KB, decoded off the event loop
        String rv2 = request().contentType("application/merge-patch+json").body("{\"spec\":{\"allocations\":"
                + allocations(1_000).replace("net1", "net2") + "}}").patch(pool(ns, "big")).then().statusCode(200)
                .body("spec.allocations.size()", equalTo(10_001)).body("spec.allocations.1.ifname", equalTo("net2"))
                .body("spec.allocations.1001.ifname", equalTo("net1")).extract().path("metadata.resourceVersion");
        assertThat(Long.parseLong(rv2)).isGreaterThan(Long.parseLong(rv));
        String replaced = request().contentType("application/json").body("{\"apiVersion\":"
                + "\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\",\"metadata\":{\"name\":\"big\","
                + "\"resourceVersion\":\"" + rv2 + "\"},\"spec\":{\"range\":\"10.9.0.0/16\",\"allocations\":"
                + allocations(9_000) + "}}").put(pool(ns, "big")).then().statusCode(200)
                .body("spec.allocations.size()", equalTo(9_000)).extract().path("metadata.resourceVersion");
        assertThat(Long.parseLong(replaced)).isGreaterThan(Long.parseLong(rv2));
        request().get(pool(ns, "big")).then().statusCode(200).body("spec.allocations.size()", equalTo(9_000))
                .body("metadata.resourceVersion", equalTo(replaced));
    }
}
