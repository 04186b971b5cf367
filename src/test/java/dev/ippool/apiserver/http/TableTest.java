package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippool.apiserver.support.WatchClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Table and PartialObjectMetadata responses, as kubectl and metadata informers ask for them (reference §7). */
@QuarkusTest
class TableTest {

    static final String KUBECTL_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,"
            + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    private static final String METADATA_LIST_ACCEPT = "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;"
            + "g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

    @TestHTTPResource("/")
    URL root;

    private final ObjectMapper json = new ObjectMapper();

    private String twoPools(String ns) {
        create(ns, poolJson("a", "10.0.0.0/24", "{\"1\":{\"id\":\"c1\",\"podref\":\"ns/p1\"}}")).then().statusCode(201);
        return create(ns, poolJson("b", "not-a-cidr", "{}")).then().statusCode(201).extract()
                .path("metadata.resourceVersion");
    }

    private JsonNode get(String accept, String path) throws Exception {
        return json.readTree(request().header("Accept", accept).get(path).then().statusCode(200)
                .contentType("application/json").extract().asString());
    }

    @Test
    @DisplayName("kubectl's list: a Table with Name + the printer columns, PartialObjectMetadata rows, list RV")
    void listAsTable() throws Exception {
        String ns = freshNamespace();
        twoPools(ns);
        String listRv = request().get(pools(ns)).then().extract().path("metadata.resourceVersion");
        JsonNode table = get(KUBECTL_ACCEPT, pools(ns));
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.path("metadata").toString()).isEqualTo("{\"resourceVersion\":\"" + listRv + "\"}");
        assertThat(table.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Range",
                "Allocated", "Capacity", "Age", "Utilization");
        assertThat(table.path("rows")).hasSize(2);
        JsonNode a = table.path("rows").get(0);
        assertThat(a.path("cells").toString()).matches("\\[\"a\",\"10.0.0.0/24\",1,254,\"\\d+s\",\"0.4%\"\\]");
        assertThat(table.path("rows").get(1).path("cells").toString())
                .matches("\\[\"b\",\"not-a-cidr\",0,\"<invalid>\",\"\\d+s\",\"<invalid>\"\\]");
        assertThat(a.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(a.path("object").path("metadata").path("name").asText()).isEqualTo("a");
        assertThat(a.path("object").has("spec")).isFalse();

        JsonNode page = get(KUBECTL_ACCEPT, pools(ns) + "?limit=1");
        assertThat(page.path("metadata").path("continue").asText()).isNotEmpty();
        assertThat(page.path("metadata").path("remainingItemCount").asLong()).isEqualTo(1);
    }

    @Test
    @DisplayName("includeObject: Object embeds the IPPool, None embeds null; an unknown value is 400")
    void includeObject() throws Exception {
        String ns = freshNamespace();
        twoPools(ns);
        JsonNode withObject = get(KUBECTL_ACCEPT, pools(ns) + "?includeObject=Object");
        assertThat(withObject.path("rows").get(0).path("object").path("spec").path("range").asText())
                .isEqualTo("10.0.0.0/24");
        JsonNode none = get(KUBECTL_ACCEPT, pools(ns) + "?includeObject=None");
        assertThat(none.path("rows").get(0).path("object").isNull()).isTrue();
        request().header("Accept", KUBECTL_ACCEPT).get(pools(ns) + "?includeObject=All").then().statusCode(400)
                .body(equalTo(status(400, "BadRequest", "includeObject: Unsupported value: \"All\": supported"
                        + " values: \"Metadata\", \"None\", \"Object\"", null)));
    }

    @Test
    @DisplayName("GET one object as a Table: one row, the object's RV")
    void getAsTable() throws Exception {
        String ns = freshNamespace();
        String rv = twoPools(ns);
        JsonNode table = get(KUBECTL_ACCEPT, pool(ns, "b"));
        assertThat(table.path("metadata").toString()).isEqualTo("{\"resourceVersion\":\"" + rv + "\"}");
        assertThat(table.path("rows")).hasSize(1);
        assertThat(table.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("b");
    }

    @Test
    @DisplayName("PartialObjectMetadata(List): the JSON alternative when protobuf is listed first; 406 on mismatch")
    void partialObjectMetadata() throws Exception {
        String ns = freshNamespace();
        twoPools(ns);
        JsonNode list = get(METADATA_LIST_ACCEPT, pools(ns));
        assertThat(list.path("kind").asText()).isEqualTo("PartialObjectMetadataList");
        assertThat(list.path("items").get(0).path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(list.path("items").get(0).path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(list.path("items").get(0).has("spec")).isFalse();
        JsonNode one = get("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1", pool(ns, "a"));
        assertThat(one.toString()).startsWith("{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\","
                + "\"metadata\":{\"name\":\"a\",\"namespace\":\"" + ns + "\",\"uid\":");

        request().header("Accept", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1")
                .get(pools(ns)).then().statusCode(406).body(equalTo(status(406, "NotAcceptable", "you requested"
                        + " PartialObjectMetadata, but the requested object is a list (*unstructured.UnstructuredList)",
                        null)));
        request().header("Accept", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1")
                .get(pool(ns, "a")).then().statusCode(406).body("message", equalTo("you requested"
                        + " PartialObjectMetadataList, but the requested object is not a list"
                        + " (*unstructured.Unstructured)"));
    }

    @Test
    @DisplayName("Table watch: the first event carries the columns, later ones null; metadata watches too")
    void watchAsTable() throws Exception {
        String ns = freshNamespace();
        String rv = twoPools(ns);
        String base = root.toString().replaceAll("/$", "");
        try (WatchClient table = WatchClient.open(base, pools(ns) + "?watch=true&resourceVersion=" + rv,
                KUBECTL_ACCEPT);
                WatchClient metadata = WatchClient.open(base, pools(ns) + "?watch=true&resourceVersion=" + rv,
                        "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1")) {
            for (String label : new String[] {"x", "y"}) {
                request().contentType("application/merge-patch+json")
                        .body("{\"metadata\":{\"labels\":{\"l\":\"" + label + "\"}}}").patch(pool(ns, "a")).then()
                        .statusCode(200);
            }
            JsonNode first = table.next();
            assertThat(first.path("type").asText()).isEqualTo("MODIFIED");
            assertThat(first.path("object").path("kind").asText()).isEqualTo("Table");
            assertThat(first.path("object").path("columnDefinitions")).hasSize(6);
            assertThat(first.path("object").path("rows").get(0).path("cells").get(0).asText()).isEqualTo("a");
            JsonNode second = table.next();
            assertThat(second.path("object").path("columnDefinitions").isNull()).isTrue();
            assertThat(second.path("object").path("rows").get(0).path("object").path("metadata").path("labels")
                    .path("l").asText()).isEqualTo("y");
            JsonNode partial = metadata.next();
            assertThat(partial.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
            assertThat(partial.path("object").has("spec")).isFalse();
        }
    }
}
