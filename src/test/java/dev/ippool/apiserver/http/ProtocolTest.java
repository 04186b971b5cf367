package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.BASE;
import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Routing, media types, limits and formatting: what any client sees before the verbs' own rules. */
@QuarkusTest
class ProtocolTest {

    private static final String PAGE_NOT_FOUND = "404 page not found\n";

    @Test
    @DisplayName("unknown group, version, resource or verb: plain-text 404 page not found, as kube's delegate")
    void unknownPaths() {
        for (String path : new String[] {"/apis/other.io/v1/ippools", BASE + "/foos", "/apis/whereabouts.cni.cncf.io/v1/ippools",
                BASE + "/ippools/x", "/nothing"}) {
            request().get(path).then().statusCode(404).contentType("text/plain; charset=utf-8")
                    .body(equalTo(PAGE_NOT_FOUND));
        }
        // create across all namespaces is not a verb of a namespaced resource
        request().contentType("application/json").body("{}").post(BASE + "/ippools").then().statusCode(404)
                .body(equalTo(PAGE_NOT_FOUND));
    }

    @Test
    @DisplayName("an unknown subresource is a NotFound Status for the object")
    void subresource() {
        String ns = freshNamespace();
        createPool(ns, "p");
        request().get(pool(ns, "p") + "/status").then().statusCode(404).body(equalTo(status(404, "NotFound",
                "ippools.whereabouts.cni.cncf.io \"p\" not found",
                "{\"name\":\"p\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"ippools\"}")));
    }

    @Test
    @DisplayName("pretty=true and a curl User-Agent indent by two spaces; JSON always ends in a newline")
    void pretty() {
        String ns = freshNamespace();
        createPool(ns, "p");
        String pretty = request().queryParam("pretty", "true").get(pools(ns)).then().statusCode(200).extract().asString();
        assertThat(pretty).startsWith("{\n  \"apiVersion\": \"whereabouts.cni.cncf.io/v1alpha1\",\n  \"items\": [\n    {\n")
                .contains("\"allocations\": {},").endsWith("}\n");
        String curl = io.restassured.RestAssured.given().header("User-Agent", "curl/8.0").get(pool(ns, "p")).then()
                .extract().asString();
        assertThat(curl).startsWith("{\n  \"apiVersion\"");
    }

    @Test
    @DisplayName("Accept: protobuf only is 406; YAML is served on request")
    void accept() {
        String ns = freshNamespace();
        createPool(ns, "p");
        request().accept("application/vnd.kubernetes.protobuf").get(pool(ns, "p")).then().statusCode(406)
                .body(equalTo(status(406, "NotAcceptable",
                        "only the following media types are accepted: application/json, application/yaml", null)));
        request().accept("application/yaml").get(pool(ns, "p")).then().statusCode(200)
                .contentType("application/yaml").body(startsWith("apiVersion: whereabouts.cni.cncf.io/v1alpha1\n"));
        request().accept("application/vnd.kubernetes.protobuf, application/json").get(pool(ns, "p")).then()
                .statusCode(200).contentType("application/json");
    }

    @Test
    @DisplayName("POST bodies: unknown media type 415; malformed JSON 400 with the decoder's message")
    void bodies() {
        String ns = freshNamespace();
        request().contentType("text/plain").body("x").post(pools(ns)).then().statusCode(415)
                .body(equalTo(status(415, "UnsupportedMediaType", "the body of the request was in an unknown format -"
                        + " accepted media types include: application/json, application/yaml,"
                        + " application/vnd.kubernetes.protobuf", null)));
        request().contentType("application/json").body("{\"metadata\":").post(pools(ns)).then().statusCode(400)
                .body("reason", equalTo("BadRequest"))
                .body("message", startsWith("couldn't get version/kind; json parse error: "));
    }

    @Test
    @DisplayName("a body over 3 MiB is 413 with kube's text, chunked too, and nothing is written")
    void bodyLimit() {
        String ns = freshNamespace();
        String big = "{\"metadata\":{\"name\":\"big\",\"annotations\":{\"x\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}}}";
        request().contentType("application/json").body(big).post(pools(ns)).then().statusCode(413)
                .body(equalTo(status(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728", null)));
        // an InputStream body is sent chunked, without Content-Length
        request().contentType("application/json")
                .body(new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))).post(pools(ns))
                .then().statusCode(413).body("reason", equalTo("RequestEntityTooLarge"));
        request().get(pool(ns, "big")).then().statusCode(404);
    }

    @Test
    @DisplayName("an object etcd refuses for its size is 413 RequestEntityTooLarge (kube: 500, fixed on purpose)")
    void etcdTooLarge() {
        String ns = freshNamespace();
        StringBuilder allocations = new StringBuilder("{");
        for (int i = 0; i < 17000; i++) {
            allocations.append(i == 0 ? "" : ",").append("\"").append(i).append("\":{\"id\":\"")
                    .append("c".repeat(64)).append("\",\"podref\":\"ns/pod-").append(i).append("\"}");
        }
        String body = dev.ippool.apiserver.support.Api.poolJson("huge", "10.0.0.0/16", allocations + "}");
        assertThat(body.length()).isBetween(1_600_000, 3_000_000);
        request().contentType("application/json").body(body).post(pools(ns)).then().statusCode(413)
                .body("reason", equalTo("RequestEntityTooLarge"))
                .body("message", startsWith("Request entity too large: etcd refused the object: "));
        request().get(pool(ns, "huge")).then().statusCode(404);
    }

    @Test
    @DisplayName("watch=false and watch=0 (any case) are plain lists, as kube parses booleans")
    void watchFalseIsAList() {
        for (String value : new String[] {"false", "0", "FALSE"}) {
            request().queryParam("watch", value).get(pools(freshNamespace())).then().statusCode(200)
                    .body("kind", equalTo("IPPoolList"));
        }
    }

    @Test
    @DisplayName("a name in the URL that is not a path segment is 400 Name parameter invalid")
    void pathSegment() {
        request().urlEncodingEnabled(false).get(pools(freshNamespace()) + "/%25bad").then().statusCode(400).body(equalTo(status(400,
                "BadRequest", "Name parameter invalid: \"%bad\": may not contain '%'", null)));
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    @DisplayName("an Upgrade: h2c request is answered in HTTP/1.1, as Go's server does without TLS")
    void noCleartextHttp2() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(root + BASE.substring(1)
                + "/ippools")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
}
