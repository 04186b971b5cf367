package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.metrics;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.eventually;
import static org.hamcrest.Matchers.equalTo;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import dev.ippool.apiserver.support.WatchClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import dev.ippool.apiserver.storage.Store;
import dev.ippool.apiserver.storage.cache.CachingStore;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** etcd restarts under open watches: clients get a seamless stream or a clean end, never silent loss. */
@QuarkusTest
@TestProfile(EtcdRestartTest.OwnEtcd.class)
class EtcdRestartTest {

    /** An etcd of this test's own, which it may restart. */
    public static class OwnEtcd implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Resource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** Starts the etcd and keeps it where the test can reach it. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {
        static EtcdProcess etcd;

        @Override
        public Map<String, String> start() {
            etcd = EtcdProcess.startTemporary();
            return Map.of("ippool.etcd.endpoints", etcd.clientUrl(), "ippool.etcd.request-timeout", "2s");
        }

        @Override
        public void stop() {
            etcd.close();
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Inject
    Store store;

    private String write(String ns, int i) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            var response = request().contentType("application/merge-patch+json")
                    .body("{\"metadata\":{\"labels\":{\"n\":\"" + i + "\"}}}").patch(pool(ns, "p"));
            if (response.statusCode() == 200) {
                return response.path("metadata.resourceVersion");
            }
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(500);
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(200); // etcd is coming back: retry as a client would
        }
    }

    @Test
    @DisplayName("after an etcd restart every change reaches the watcher exactly once, re-watching if the stream ended")
    void restartUnderWatch() throws Exception {
        String ns = freshNamespace();
        String last = createPool(ns, "p");
        String base = root.toString().replaceAll("/$", "");
        List<String> expected = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        WatchClient w = WatchClient.open(base, pools(ns) + "?watch=true&resourceVersion=" + last);
        expected.add(write(ns, 0));
        Resource.etcd.restart();
        for (int i = 1; i <= 3; i++) {
            expected.add(write(ns, i));
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (seen.size() < expected.size() && Instant.now().isBefore(deadline)) {
            String line = w.nextLine();
            if (line == null) { // a clean end: re-watch from the last resourceVersion, as informers do
                w.close();
                // the cache resumes its etcd watch (or relists after a compaction; a watch is a 429 until then)
                assertThat(((CachingStore) store).awaitReady(Duration.ofSeconds(30))).isTrue();
                w = WatchClient.open(base, pools(ns) + "?watch=true&resourceVersion=" + last);
                assertThat(w.status()).isEqualTo(200);
                continue;
            }
            JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(event.path("type").asText()).as(line).isEqualTo("MODIFIED");
            last = event.path("object").path("metadata").path("resourceVersion").asText();
            seen.add(last);
        }
        w.close();
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    @DisplayName("probes: etcd down makes /readyz a 500 listing [-]etcd, /livez stays ok; etcd back, ready again, "
            + "and pool utilisation follows writes again")
    void probesFollowEtcd() throws Exception {
        String ns = freshNamespace();
        create(ns, poolJson("u", "10.0.0.0/24", "{\"1\":{\"id\":\"a\",\"podref\":\"x/a\"}}")).then().statusCode(201);
        String used = "whereabouts_ippool_allocated_addresses{namespace=\"" + ns + "\",pool=\"u\",range=\"10.0.0.0/24\"} ";
        assertThat(eventually(10, () -> metrics().contains(used + "1.0\n"))).isTrue();
        request().get("/readyz").then().statusCode(200).body(equalTo("ok"));
        request().get("/readyz?verbose").then().statusCode(200)
                .body(equalTo("[+]ping ok\n[+]etcd ok\n[+]informer-sync ok\nreadyz check passed\n"));
        Resource.etcd.stop();
        try {
            assertThat(eventually(30, () -> request().get("/readyz").statusCode() == 500)).isTrue();
            request().get("/readyz").then().statusCode(500).contentType("text/plain; charset=utf-8")
                    .body(org.hamcrest.Matchers.containsString("[-]etcd failed: reason withheld\n"))
                    .body(org.hamcrest.Matchers.endsWith("readyz check failed\n"));
            request().get("/livez").then().statusCode(200).body(equalTo("ok"));
        } finally {
            Resource.etcd.start();
        }
        assertThat(eventually(60, () -> request().get("/readyz").statusCode() == 200)).isTrue();
        // the utilisation figures come from a watch on the cache, which either resumed or ended and was replaced
        // by a fresh list: both ways, writes after the restart show
        request().contentType("application/json-patch+json").body("[{\"op\":\"add\",\"path\":\"/spec/allocations/2\","
                + "\"value\":{\"id\":\"b\",\"podref\":\"x/b\"}}]").patch(pool(ns, "u")).then().statusCode(200);
        create(ns, poolJson("v", "10.0.1.0/24", "{}")).then().statusCode(201);
        assertThat(eventually(10, () -> metrics().contains(used + "2.0\n") && metrics().contains(
                "whereabouts_ippool_allocated_addresses{namespace=\"" + ns + "\",pool=\"v\",range=\"10.0.1.0/24\"} 0.0\n")))
                .isTrue();
    }
}
