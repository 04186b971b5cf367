package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.metric;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.support.WatchClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A watcher that stops reading is cut off once its unsent bytes pass {@code ippool.watch.max-buffered-bytes},
 * and counted; a watcher that reads on the same stream of changes loses nothing.
 */
@QuarkusTest
@TestProfile(SlowWatcherTest.SmallBuffer.class)
class SlowWatcherTest {

    /** 256 KiB per watcher, so a few MB of changes overflow it past the kernel's socket buffers. */
    public static class SmallBuffer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ippool.watch.max-buffered-bytes", "262144");
        }
    }

    private static final int WRITES = 80;

    @TestHTTPResource("/")
    URL root;

    @Test
    @DisplayName("a stalled watcher is reset and counted; a reading one gets every change, in order")
    void stalledWatcherIsEvicted() throws Exception {
        String ns = freshNamespace();
        StringJoiner allocations = new StringJoiner(",", "{", "}");
        for (int i = 1; i < 1500; i++) {
            allocations.add("\"" + i + "\":{\"id\":\"container-" + "x".repeat(40) + i + "\",\"podref\":\"ns/pod-" + i
                    + "\"}");
        }
        String start = create(ns, poolJson("big", "10.0.0.0/20", allocations.toString())).then().statusCode(201)
                .extract().path("metadata.resourceVersion");
        double evictedBefore = evictedTotal();
        String watchPath = pools(ns) + "?watch=true&resourceVersion=" + start;

        try (Socket stalled = new Socket(); WatchClient reading = WatchClient.open(base(), watchPath)) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(root.getHost(), root.getPort()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET " + watchPath + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();

            List<String> written = new ArrayList<>();
            for (int i = 0; i < WRITES; i++) {
                written.add(request().contentType("application/merge-patch+json")
                        .body("{\"metadata\":{\"labels\":{\"n\":\"" + i + "\"}}}").patch(pool(ns, "big")).then()
                        .statusCode(200).extract().<String>path("metadata.resourceVersion"));
            }

            List<String> seen = new ArrayList<>();
            for (JsonNode event : reading.next(WRITES)) {
                assertThat(event.path("type").asText()).isEqualTo("MODIFIED");
                seen.add(event.path("object").path("metadata").path("resourceVersion").asText());
            }
            assertThat(seen).isEqualTo(written);
            assertThat(evictedTotal()).isEqualTo(evictedBefore + 1);

            // the server has closed the stalled connection: draining it reaches EOF
            stalled.setSoTimeout(10_000);
            InputStream in = stalled.getInputStream();
            byte[] chunk = new byte[65536];
            long drained = 0;
            for (int n; (n = in.read(chunk)) >= 0; ) {
                drained += n;
            }
            assertThat(drained).isPositive();
        }
    }

    private String base() {
        return root.toString().replaceAll("/$", "");
    }

    private static double evictedTotal() {
        return metric("ippool_watch_evicted_total");
    }
}
