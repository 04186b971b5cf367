package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.BASE;
import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ListTest {

    private static void labelled(String ns, String name, String labels) {
        create(ns, "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":" + labels + "},\"spec\":{\"range\":\"r\","
                + "\"allocations\":{}}}").then().statusCode(201);
    }

    @Test
    @DisplayName("an empty namespace lists items [] (never null) with the list's resourceVersion")
    void empty() {
        String body = request().get(pools(freshNamespace())).then().statusCode(200).extract().asString();
        assertThat(body).matches("\\{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"items\":\\[\\],\"kind\":"
                + "\"IPPoolList\",\"metadata\":\\{\"resourceVersion\":\"[0-9]+\"\\}\\}\n");
    }

    @Test
    @DisplayName("lists and GETs written from stored bytes are exactly the sorted compact encoding of their trees")
    void writtenFromStoredBytes() throws Exception {
        String ns = freshNamespace();
        labelled(ns, "x", "{\"z\":\"1\",\"a\":\"b\"}");
        createPool(ns, "y");
        request().contentType("application/merge-patch+json").body("{\"metadata\":{\"annotations\":{\"q\":\"<&> \\u00e9\\\" \\u2028\"}}}")
                .patch(pools(ns) + "/y").then().statusCode(200);
        ObjectMapper sorted = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);
        for (String path : new String[] {pools(ns), pools(ns) + "?resourceVersion=0", pools(ns) + "?limit=1",
            pools(ns) + "/y", pools(ns) + "/x?resourceVersion=0"}) {
            String body = request().get(path).then().statusCode(200).extract().asString();
            assertThat(body).as(path).isEqualTo(sorted.writeValueAsString(sorted.readTree(body)) + "\n");
            assertThat(body).as(path).contains("\"resourceVersion\":\"");
        }
    }

    @Test
    @DisplayName("items come in key order, each with apiVersion, kind and its own resourceVersion; list RV >= all")
    void orderAndVersions() {
        String ns = freshNamespace();
        createPool(ns, "b");
        createPool(ns, "a");
        String last = createPool(ns, "c");
        JsonPath list = request().get(pools(ns)).then().statusCode(200)
                .body("items.metadata.name", contains("a", "b", "c"))
                .body("items.kind", contains("IPPool", "IPPool", "IPPool"))
                .body("items.apiVersion[0]", equalTo("whereabouts.cni.cncf.io/v1alpha1")).extract().jsonPath();
        assertThat(Long.parseLong(list.getString("metadata.resourceVersion"))).isGreaterThanOrEqualTo(Long.parseLong(last));
        request().get(BASE + "/ippools").then().statusCode(200).body("items.metadata.namespace", hasItems(ns));
    }

    @Test
    @DisplayName("labelSelector supports =, !=, in, notin, exists and !key")
    void labelSelectors() {
        String ns = freshNamespace();
        labelled(ns, "a", "{\"tier\":\"x\",\"env\":\"prod\"}");
        labelled(ns, "b", "{\"tier\":\"y\"}");
        labelled(ns, "c", "{}");
        request().queryParam("labelSelector", "tier=x").get(pools(ns)).then().body("items.metadata.name", contains("a"));
        request().queryParam("labelSelector", "tier!=x").get(pools(ns)).then()
                .body("items.metadata.name", contains("b", "c"));
        request().queryParam("labelSelector", "tier in (x, y),!env").get(pools(ns)).then()
                .body("items.metadata.name", contains("b"));
        request().queryParam("labelSelector", "tier notin (y)").get(pools(ns)).then()
                .body("items.metadata.name", contains("a", "c"));
        request().queryParam("labelSelector", "env").get(pools(ns)).then().body("items.metadata.name", contains("a"));
        request().queryParam("labelSelector", "tier in (x").get(pools(ns)).then().statusCode(400)
                .body("reason", equalTo("BadRequest"));
    }

    @Test
    @DisplayName("fieldSelector on metadata.name / metadata.namespace; any other field is 400")
    void fieldSelectors() {
        String ns = freshNamespace();
        createPool(ns, "a");
        createPool(ns, "b");
        request().queryParam("fieldSelector", "metadata.name=b").get(pools(ns)).then()
                .body("items.metadata.name", contains("b"));
        request().queryParam("fieldSelector", "metadata.name!=b,metadata.namespace==" + ns).get(pools(ns)).then()
                .body("items.metadata.name", contains("a"));
        request().queryParam("fieldSelector", "spec.range=x").get(pools(ns)).then().statusCode(400)
                .body(equalTo(status(400, "BadRequest", "field label not supported: spec.range", null)));
    }

    @Test
    @DisplayName("limit/continue pages at one revision; remainingItemCount only without selectors")
    void paging() {
        String ns = freshNamespace();
        for (String n : new String[] {"a", "b", "c", "d", "e"}) {
            createPool(ns, n);
        }
        JsonPath first = request().queryParam("limit", 2).get(pools(ns)).then().statusCode(200)
                .body("items.metadata.name", contains("a", "b")).body("metadata.remainingItemCount", equalTo(3))
                .extract().jsonPath();
        String token = first.getString("metadata.continue");
        String rv = first.getString("metadata.resourceVersion");
        createPool(ns, "bb"); // written after the first page: not in this list
        JsonPath second = request().queryParam("limit", 2).queryParam("continue", token).get(pools(ns)).then()
                .statusCode(200).body("items.metadata.name", contains("c", "d"))
                .body("metadata.resourceVersion", equalTo(rv)).extract().jsonPath();
        request().queryParam("limit", 2).queryParam("continue", second.getString("metadata.continue")).get(pools(ns))
                .then().body("items.metadata.name", contains("e")).body("metadata.continue", nullValue())
                .body("metadata.remainingItemCount", nullValue());
        request().queryParam("limit", 2).queryParam("labelSelector", "x!=y").get(pools(ns)).then()
                .body("items.metadata.name", contains("a", "b")).body("metadata.remainingItemCount", nullValue());
        request().queryParam("continue", token).queryParam("resourceVersion", "5").get(pools(ns)).then()
                .statusCode(400).body(equalTo(status(400, "BadRequest",
                        "specifying resource version is not allowed when using continue", null)));
        request().queryParam("continue", "not-a-token").get(pools(ns)).then().statusCode(400)
                .body("message", org.hamcrest.Matchers.startsWith("invalid continue token: continue key is not valid: "));
    }

    @Test
    @DisplayName("list options are validated with kube's 422 texts")
    void listOptionValidation() {
        String ns = freshNamespace();
        request().queryParam("resourceVersionMatch", "Exact").get(pools(ns)).then().statusCode(422)
                .body(equalTo(status(422, "Invalid", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch:"
                        + " Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
                        "{\"group\":\"meta.k8s.io\",\"kind\":\"ListOptions\",\"causes\":[{\"reason\":"
                                + "\"FieldValueForbidden\",\"message\":\"Forbidden: resourceVersionMatch is forbidden"
                                + " unless resourceVersion is provided\",\"field\":\"resourceVersionMatch\"}]}")));
        request().queryParam("resourceVersionMatch", "Exact").queryParam("resourceVersion", "0").get(pools(ns)).then()
                .statusCode(422).body("message", equalTo("ListOptions.meta.k8s.io \"\" is invalid:"
                        + " resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for"
                        + " resourceVersion \"0\""));
        request().queryParam("sendInitialEvents", "true").get(pools(ns)).then().statusCode(422)
                .body("message", equalTo("ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden:"
                        + " sendInitialEvents is forbidden for list"));
    }

    @Test
    @DisplayName("resourceVersion semantics: Exact reads history, N ahead of etcd is 504 ResourceVersionTooLarge")
    void resourceVersions() {
        String ns = freshNamespace();
        String before = createPool(ns, "a");
        createPool(ns, "b");
        request().queryParam("resourceVersion", before).queryParam("resourceVersionMatch", "Exact").get(pools(ns))
                .then().statusCode(200).body("items.metadata.name", contains("a"))
                .body("metadata.resourceVersion", equalTo(before));
        request().queryParam("resourceVersion", before).queryParam("resourceVersionMatch", "NotOlderThan")
                .get(pools(ns)).then().statusCode(200).body("items.metadata.name", contains("a", "b"));
        request().queryParam("resourceVersion", "0").get(pools(ns)).then().statusCode(200)
                .body("items.metadata.name", contains("a", "b"));
        request().queryParam("resourceVersion", "999999999").get(pools(ns)).then().statusCode(504)
                .header("Retry-After", "1")
                .body("reason", equalTo("Timeout"))
                .body("message", org.hamcrest.Matchers.startsWith("Timeout: Too large resource version: 999999999, current: "))
                .body("details.causes[0].reason", equalTo("ResourceVersionTooLarge"))
                .body("details.retryAfterSeconds", equalTo(1));
        request().queryParam("resourceVersion", "999999999").get(dev.ippool.apiserver.support.Api.pool(ns, "a"))
                .then().statusCode(504).body("details.causes[0].reason", equalTo("ResourceVersionTooLarge"));
    }
}
