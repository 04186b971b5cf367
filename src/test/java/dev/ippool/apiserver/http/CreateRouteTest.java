package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.support.RouteProbes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The plain create is served by {@link CreateRoute}, everything else by the JAX-RS resource: which requests go
 * where, and that a client cannot tell the two apart. A body sent chunked (no Content-Length) always goes to the
 * resource, so the same request sent both ways compares the two.
 */
@QuarkusTest
class CreateRouteTest {

    private static final String DETAILS = "{\"name\":\"%s\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"ippools\"}";

    @TestHTTPResource("/")
    URL root;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    @DisplayName("the route takes JSON bodies of a stated length up to 64 KiB answered in plain JSON, without dryRun")
    void whatTheRouteServes() {
        assertThat(plain(Map.of("Content-Length", "120", "Content-Type", "application/json"), "")).isNotNull();
        assertThat(plain(Map.of("Content-Length", "120"), "")).isNotNull();
        assertThat(plain(Map.of("Content-Length", "65536", "Content-Type", "application/json; charset=utf-8",
                "Accept", "application/json, */*"), "")).isNotNull();
        // an unknown dryRun value is the Creator's 400, as on the resource
        assertThat(plain(Map.of("Content-Length", "120"), "dryRun=Some")).isNotNull();
        WriteOptions options = plain(Map.of("Content-Length", "120", "User-Agent", "whereabouts/v0.6"),
                "fieldManager=m&fieldValidation=Strict");
        assertThat(options.manager()).isEqualTo("m");
        assertThat(options.fieldValidation()).isEqualTo("Strict");
        assertThat(plain(Map.of("Content-Length", "120", "User-Agent", "whereabouts/v0.6"), "").manager())
                .isEqualTo("whereabouts");

        assertThat(plain(Map.of(), "")).as("no stated length").isNull();
        assertThat(plain(Map.of("Content-Length", "65537"), "")).as("over 64 KiB").isNull();
        assertThat(plain(Map.of("Content-Length", "x"), "")).as("a length that does not parse").isNull();
        assertThat(plain(Map.of("Content-Length", "120", "Expect", "100-continue"), "")).isNull();
        assertThat(plain(Map.of("Content-Length", "120", "Content-Type", "application/yaml"), "")).isNull();
        assertThat(plain(Map.of("Content-Length", "120", "Content-Type", "text/plain"), "")).as("the 415").isNull();
        assertThat(plain(Map.of("Content-Length", "120", "Accept", "application/yaml"), "")).isNull();
        assertThat(plain(Map.of("Content-Length", "120", "Accept", "application/vnd.kubernetes.protobuf"), ""))
                .as("the 406").isNull();
        assertThat(plain(Map.of("Content-Length", "120", "Accept",
                "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io"), "")).isNull();
        assertThat(plain(Map.of("Content-Length", "120", "User-Agent", "curl/8.5.0"), "")).as("pretty").isNull();
        assertThat(plain(Map.of("Content-Length", "120"), "pretty=true")).isNull();
        assertThat(plain(Map.of("Content-Length", "120"), "dryRun=All")).isNull();
        assertThat(CreateRoute.plainCreate(RouteProbes.headers(Map.of("Content-Length", "120")), () -> {
            throw new IllegalArgumentException("bad query");
        })).as("a malformed query").isNull();
    }

    @Test
    @DisplayName("created, taken, invalid, malformed, warned, wrong namespace: the same answer by route and resource")
    void sameAnswers() throws Exception {
        String ns = freshNamespace();
        Exchange routed = post(ns, "", poolJson("p1", "10.0.0.0/24", "{}"), false);
        Exchange resource = post(ns, "", poolJson("p2", "10.0.0.0/24", "{}"), true);
        assertThat(routed.code()).isEqualTo(201);
        assertThat(routed.headers()).isEqualTo(resource.headers());
        assertThat(withoutIdentity(routed.body())).isEqualTo(withoutIdentity(resource.body()));
        assertThat(routed.body()).endsWith("}\n");

        Exchange taken = post(ns, "", poolJson("p1", "10.0.0.0/24", "{}"), false);
        assertThat(taken).isEqualTo(post(ns, "", poolJson("p1", "10.0.0.0/24", "{}"), true));
        assertThat(taken.code()).isEqualTo(409);
        assertThat(taken.body()).isEqualTo(status(409, "AlreadyExists",
                "ippools.whereabouts.cni.cncf.io \"p1\" already exists", DETAILS.formatted("p1")));

        String invalid = poolJson("p3", "10.0.0.0/24", "{\"1\":{\"podref\":\"a/b\"}}");
        assertThat(post(ns, "", invalid, false)).isEqualTo(post(ns, "", invalid, true))
                .extracting(Exchange::code).isEqualTo(422);

        String malformed = "{\"metadata\":{\"name\":\"p4\"},";
        assertThat(post(ns, "", malformed, false)).isEqualTo(post(ns, "", malformed, true))
                .extracting(Exchange::code).isEqualTo(400);

        Exchange strict = post(ns, "fieldValidation=Strict", poolJson("p5", "10.0.0.0/24", "{}")
                .replace("\"spec\":{", "\"spec\":{\"extra\":1,"), false);
        assertThat(strict).isEqualTo(post(ns, "fieldValidation=Strict", poolJson("p5", "10.0.0.0/24", "{}")
                .replace("\"spec\":{", "\"spec\":{\"extra\":1,"), true));
        assertThat(strict.code()).isEqualTo(400);

        Exchange warned = post(ns, "", poolJson("p6", "10.0.0.0/24", "{}").replace("\"spec\":{", "\"spec\":{\"extra\":1,"),
                false);
        Exchange warnedByResource = post(ns, "", poolJson("p7", "10.0.0.0/24", "{}")
                .replace("\"spec\":{", "\"spec\":{\"extra\":1,"), true);
        assertThat(warned.code()).isEqualTo(201);
        assertThat(warned.headers()).isEqualTo(warnedByResource.headers())
                .containsEntry("warning", List.of("299 - \"unknown field \\\"spec.extra\\\"\""));

        String elsewhere = poolJson("p8", "10.0.0.0/24", "{}").replace("\"name\":\"p8\"",
                "\"name\":\"p8\",\"namespace\":\"other\"");
        assertThat(post(ns, "", elsewhere, false)).isEqualTo(post(ns, "", elsewhere, true))
                .extracting(Exchange::code).isEqualTo(400);
    }

    @Test
    @DisplayName("a plain create is answered by the route, a chunked one by the resource (the head's order tells)")
    void routeAnswersPlainCreates() throws Exception {
        String ns = freshNamespace();
        // the one trace of who answered, which no client reads: Vert.x keeps headers in the order they were set
        assertThat(headerNames(ns, "p1", false)).containsSubsequence("Content-Type", "Cache-Control");
        assertThat(headerNames(ns, "p2", true)).containsSubsequence("Cache-Control", "Content-Type");
    }

    private List<String> headerNames(String namespace, String name, boolean chunked) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(root.toString().replaceAll("/$", "")
                + pools(namespace)).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        byte[] body = poolJson(name, "10.0.0.0/24", "{}").getBytes(StandardCharsets.UTF_8);
        if (chunked) {
            c.setChunkedStreamingMode(16);
        } else {
            c.setFixedLengthStreamingMode(body.length);
        }
        try (var out = c.getOutputStream()) {
            out.write(body);
        }
        assertThat(c.getResponseCode()).isEqualTo(201);
        return RouteProbes.headerNames(c);
    }

    /** One answer, less what differs between any two requests (Audit-Id) and how the body was framed. */
    record Exchange(int code, Map<String, List<String>> headers, String body) {
    }

    private Exchange post(String namespace, String query, String body, boolean chunked) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
        URI uri = URI.create(root.toString().replaceAll("/$", "") + pools(namespace) + (query.isEmpty() ? "" : "?" + query));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("User-Agent", "ippool-tests/1.0")
                .POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        assertThat(headers.remove("audit-id")).hasSize(1);
        assertThat(headers.remove("content-length")).containsExactly(
                Integer.toString(response.body().getBytes(StandardCharsets.UTF_8).length));
        return new Exchange(response.statusCode(), headers, response.body());
    }

    /** The created object without what names this one object: its name, uid, resourceVersion and times. */
    private JsonNode withoutIdentity(String body) throws Exception {
        ObjectNode object = (ObjectNode) json.readTree(body);
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        metadata.remove(List.of("name", "uid", "resourceVersion", "creationTimestamp"));
        metadata.get("managedFields").forEach(entry -> ((ObjectNode) entry).remove("time"));
        return object;
    }

    private static WriteOptions plain(Map<String, String> headers, String query) {
        return CreateRoute.plainCreate(RouteProbes.headers(headers), () -> RouteProbes.query(query));
    }
}
