package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ippool.apiserver.support.RouteProbes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The plain GET of one object is served by {@link GetRoute}, everything else by the JAX-RS resource: which
 * requests go where, and that a client cannot tell the two apart. A path with an escaped character always goes
 * to the resource ({@code p%31} is {@code p1} to both), so the same request sent both ways compares the two.
 */
@QuarkusTest
class GetRouteTest {

    private static final String DETAILS = "{\"name\":\"%s\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"ippools\"}";

    @TestHTTPResource("/")
    URL root;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @DisplayName("the route takes bodiless GETs answered in plain JSON, and hands on their resourceVersion")
    void whatTheRouteServes() {
        assertThat(plain(Map.of(), "")).isEqualTo("");
        assertThat(plain(Map.of(), "resourceVersion=0")).isEqualTo("0");
        assertThat(plain(Map.of("Accept", "application/json, */*", "Content-Length", "0"), "resourceVersion=7"))
                .isEqualTo("7");
        assertThat(plain(Map.of("Accept", "application/json;q=0.9,application/yaml;q=0.5"), "")).isEqualTo("");
        assertThat(plain(Map.of("User-Agent", "curl/8.5.0"), "pretty=false")).isEqualTo("");
        // an unparsable resourceVersion is the Getter's 400, as on the resource
        assertThat(plain(Map.of(), "resourceVersion=x")).isEqualTo("x");

        assertThat(plain(Map.of("Content-Length", "2"), "")).as("a body").isNull();
        assertThat(plain(Map.of("Transfer-Encoding", "chunked"), "")).as("a chunked body").isNull();
        assertThat(plain(Map.of("Accept", "application/yaml"), "")).isNull();
        assertThat(plain(Map.of("Accept", "application/vnd.kubernetes.protobuf"), "")).as("the 406").isNull();
        assertThat(plain(Map.of("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"), "")).isNull();
        assertThat(plain(Map.of("User-Agent", "curl/8.5.0"), "")).as("pretty").isNull();
        assertThat(plain(Map.of(), "pretty=true")).isNull();
        assertThat(GetRoute.plainGet(RouteProbes.headers(Map.of()), () -> {
            throw new IllegalArgumentException("bad query");
        })).as("a malformed query").isNull();
    }

    @Test
    @DisplayName("cached, consistent, large, missing, malformed resourceVersion: the same answer by route and resource")
    void sameAnswers() throws Exception {
        String ns = freshNamespace();
        assertThat(create(ns, poolJson("p1", "10.0.0.0/24", "{\"1\":{\"id\":\"c1\",\"podref\":\"ns/a\"}}"))
                .statusCode()).isEqualTo(201);
        for (String query : new String[] {"", "resourceVersion=0"}) {
            Exchange routed = get(ns, "p1", query, false);
            assertThat(routed.code()).isEqualTo(200);
            assertThat(routed.body()).contains("\"podref\":\"ns/a\"").endsWith("}\n");
            assertThat(routed).isEqualTo(get(ns, "p1", query, true));

            Exchange missing = get(ns, "p2", query, false);
            assertThat(missing).isEqualTo(get(ns, "p2", query, true));
            assertThat(missing.code()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo(status(404, "NotFound",
                    "ippools.whereabouts.cni.cncf.io \"p2\" not found", DETAILS.formatted("p2")));
        }

        // over 64 KiB stored: the route reads it consistently; from the cache the resource does, on a worker
        String allocations = IntStream.range(0, 400).mapToObj(i -> "\"" + i + "\":{\"id\":\"container-" + "x".repeat(
                100) + i + "\",\"podref\":\"namespace/pod-" + i + "\"}").collect(Collectors.joining(",", "{", "}"));
        assertThat(create(ns, poolJson("p3", "10.1.0.0/16", allocations)).statusCode()).isEqualTo(201);
        Exchange large = get(ns, "p3", "", false);
        assertThat(large.code()).isEqualTo(200);
        assertThat(large.body().length()).isGreaterThan(Continuations.EVENT_LOOP_MAX_BYTES);
        assertThat(large).isEqualTo(get(ns, "p3", "", true)).isEqualTo(get(ns, "p3", "resourceVersion=0", false));

        Exchange malformed = get(ns, "p1", "resourceVersion=x", false);
        assertThat(malformed).isEqualTo(get(ns, "p1", "resourceVersion=x", true));
        assertThat(malformed.body()).isEqualTo(status(400, "BadRequest",
                "resourceVersion: Invalid value: \"x\": strconv.ParseUint: parsing \"x\": invalid syntax", null));
    }

    @Test
    @DisplayName("a plain GET is answered by the route, an escaped path by the resource (the head's order tells)")
    void routeAnswersPlainGets() throws Exception {
        String ns = freshNamespace();
        assertThat(create(ns, poolJson("p1", "10.0.0.0/24", "{}")).statusCode()).isEqualTo(201);
        // the one trace of who answered, which no client reads: Vert.x keeps headers in the order they were set
        assertThat(headerNames(ns, "p1", "resourceVersion=0")).containsSubsequence("Content-Type", "Cache-Control");
        assertThat(headerNames(ns, "p%31", "resourceVersion=0")).containsSubsequence("Cache-Control", "Content-Type");
        assertThat(headerNames(ns, "p1", "")).containsSubsequence("Content-Type", "Cache-Control");
        assertThat(headerNames(ns, "p1", "pretty=true")).containsSubsequence("Cache-Control", "Content-Type");
    }

    /** The response's header names in the order they came (java.net.http sorts them). */
    private List<String> headerNames(String namespace, String name, String query) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(root.toString().replaceAll("/$", "")
                + pools(namespace) + "/" + name + "?" + query).toURL().openConnection();
        c.setRequestProperty("User-Agent", "ippool-tests/1.0");
        assertThat(c.getResponseCode()).isEqualTo(200);
        return RouteProbes.headerNames(c);
    }

    /** One answer, less what differs between any two requests (Audit-Id). */
    record Exchange(int code, Map<String, List<String>> headers, String body) {
    }

    private Exchange get(String namespace, String name, String query, boolean byResource) throws Exception {
        HttpResponse<String> response = get(namespace, byResource ? "p%" + Integer.toHexString(name.charAt(1))
                + name.substring(2) : name, query);
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        assertThat(headers.remove("audit-id")).hasSize(1);
        assertThat(headers.get("content-length")).containsExactly(
                Integer.toString(response.body().getBytes(StandardCharsets.UTF_8).length));
        return new Exchange(response.statusCode(), headers, response.body());
    }

    private HttpResponse<String> get(String namespace, String name, String query) throws Exception {
        URI uri = URI.create(root.toString().replaceAll("/$", "") + pools(namespace) + "/" + name
                + (query.isEmpty() ? "" : "?" + query));
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("User-Agent", "ippool-tests/1.0").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String plain(Map<String, String> headers, String query) {
        return GetRoute.plainGet(RouteProbes.headers(headers), () -> RouteProbes.query(query));
    }
}
