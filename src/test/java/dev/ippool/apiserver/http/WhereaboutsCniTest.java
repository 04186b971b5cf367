package dev.ippool.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippool.apiserver.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Replays what the Whereabouts CNI plugin sends on ADD (pkg/storage/kubernetes/ipam.go): LIST the namespace's
 * pools, GET the pool (POST it on 404, tolerating 409), then PATCH {@code [test rv, test key null, add key]} and
 * retry at once on 422 — with no lock, 16 allocators racing for the lowest free offset of one pool.
 */
@QuarkusTest
class WhereaboutsCniTest {

    private static final int ALLOCATORS = 16;
    private static final int ADDS_PER_ALLOCATOR = 4;

    @TestHTTPResource("/")
    URL root;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @DisplayName("16 concurrent CNI ADDs on one pool: every allocation lands, no offset twice, conflicts are 422s")
    void concurrentAllocations() throws Exception {
        String ns = Api.freshNamespace();
        String pool = "10.20.0.0-24";
        AtomicInteger retries = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(ALLOCATORS);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int a = 0; a < ALLOCATORS; a++) {
                int allocator = a;
                results.add(executor.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < ADDS_PER_ALLOCATOR; i++) {
                        mine.add(add(ns, pool, "container-" + allocator + "-" + i, retries));
                    }
                    return mine;
                }));
            }
            Set<String> offsets = new HashSet<>();
            for (Future<List<String>> f : results) {
                for (String offset : f.get()) {
                    assertThat(offsets.add(offset)).as("offset %s handed out twice", offset).isTrue();
                }
            }
            assertThat(offsets).hasSize(ALLOCATORS * ADDS_PER_ALLOCATOR);
        } finally {
            executor.shutdownNow();
        }
        JsonNode stored = json.readTree(send(HttpRequest.newBuilder(uri(Api.pool(ns, pool))).GET()).body());
        JsonNode allocations = stored.path("spec").path("allocations");
        assertThat(allocations.size()).isEqualTo(ALLOCATORS * ADDS_PER_ALLOCATOR);
        Set<String> ids = new HashSet<>();
        allocations.forEach(a -> ids.add(a.path("id").asText()));
        assertThat(ids).hasSize(ALLOCATORS * ADDS_PER_ALLOCATOR);
        // contention must have happened for this test to mean anything
        assertThat(retries.get()).isPositive();
    }

    /** One CNI ADD; returns the offset it got. */
    private String add(String ns, String pool, String containerId, AtomicInteger retries) throws Exception {
        for (int attempt = 0; attempt < 2000; attempt++) {
            HttpResponse<String> list = send(HttpRequest.newBuilder(uri(Api.pools(ns))).GET());
            assertThat(list.statusCode()).isEqualTo(200);
            HttpResponse<String> got = send(HttpRequest.newBuilder(uri(Api.pool(ns, pool))).GET());
            if (got.statusCode() == 404) {
                HttpResponse<String> created = send(HttpRequest.newBuilder(uri(Api.pools(ns)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Api.poolJson(pool, "10.20.0.0/24", "{}"))));
                assertThat(created.statusCode()).isIn(201, 409);
                continue;
            }
            assertThat(got.statusCode()).isEqualTo(200);
            JsonNode object = json.readTree(got.body());
            String rv = object.path("metadata").path("resourceVersion").asText();
            String offset = lowestFree(object.path("spec").path("allocations"));
            String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + rv + "\"},"
                    + "{\"op\":\"test\",\"path\":\"/spec/allocations/" + offset + "\",\"value\":null},"
                    + "{\"op\":\"add\",\"path\":\"/spec/allocations/" + offset + "\",\"value\":{\"id\":\""
                    + containerId + "\",\"podref\":\"" + ns + "/" + containerId + "\",\"ifname\":\"net1\"}}]";
            HttpResponse<String> patched = send(HttpRequest.newBuilder(uri(Api.pool(ns, pool)))
                    .header("Content-Type", "application/json-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)));
            if (patched.statusCode() == 200) {
                return offset;
            }
            // Whereabouts retries 422 Invalid at once and gives up on anything else (409 included)
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(422);
            assertThat(json.readTree(patched.body()).path("reason").asText()).isEqualTo("Invalid");
            retries.incrementAndGet();
        }
        throw new AssertionError("allocation never landed for " + containerId);
    }

    private static String lowestFree(JsonNode allocations) {
        Set<String> used = new HashSet<>();
        Iterator<String> keys = allocations.fieldNames();
        keys.forEachRemaining(used::add);
        for (int i = 1; i < 255; i++) {
            if (!used.contains(Integer.toString(i))) {
                return Integer.toString(i);
            }
        }
        throw new AssertionError("pool exhausted");
    }

    private URI uri(String path) {
        return URI.create(root.toString().replaceAll("/$", "") + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
