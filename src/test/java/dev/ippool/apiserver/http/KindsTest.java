package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.BASE;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.support.WatchClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same HTTP suite over every kind of the group: create, get, list with selectors, replace, merge and JSON
 * patch, apply, watch, Table, OpenAPI, validation, delete — one description per kind, no kind-specific code.
 */
@QuarkusTest
class KindsTest {

    /** A kind, a valid body's top-level fields besides metadata, its Table columns and a required-field error. */
    record Kind(String plural, String kind, String fields, List<String> columns, String invalidFields,
            String requiredError) {
        @Override
        public String toString() {
            return kind;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(
                new Kind("ippools", "IPPool", "\"spec\":{\"range\":\"10.0.0.0/24\",\"allocations\":{}}",
                        List.of("Name", "Range", "Allocated", "Capacity", "Age", "Utilization"),
                        "\"spec\":{\"allocations\":{}}", "spec.range: Required value"),
                new Kind("overlappingrangeipreservations", "OverlappingRangeIPReservation",
                        "\"spec\":{\"podref\":\"ns/pod\",\"ifname\":\"net1\"}",
                        List.of("Name", "Pod", "Interface", "Age"), "\"spec\":{\"ifname\":\"net1\"}",
                        "spec.podref: Required value"),
                new Kind("nodeslicepools", "NodeSlicePool", "\"spec\":{\"range\":\"10.0.0.0/16\",\"sliceSize\":\"/24\"},"
                        + "\"status\":{\"allocations\":[{\"nodeName\":\"n1\",\"sliceRange\":\"10.0.0.0/24\"}]}",
                        List.of("Name", "Range", "Slice Size", "Nodes", "Age"),
                        "\"spec\":{\"range\":\"10.0.0.0/16\",\"sliceSize\":\"/24\"},\"status\":{\"allocations\":"
                                + "[{\"sliceRange\":\"10.0.0.0/24\"}]}", "status.allocations[0].nodeName: Required value"));
    }

    @TestHTTPResource("/")
    URL root;

    private static String body(Kind k, String name, String fields) {
        return "{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"" + k.kind() + "\",\"metadata\":"
                + "{\"name\":\"" + name + "\",\"labels\":{\"suite\":\"kinds\"}}," + fields + "}";
    }

    private static String collection(Kind k, String ns) {
        return BASE + "/namespaces/" + ns + "/" + k.plural();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void crudAndViews(Kind k) throws Exception {
        String ns = freshNamespace();
        String item = collection(k, ns) + "/a";
        Response created = request().contentType("application/json").body(body(k, "a", k.fields()))
                .post(collection(k, ns));
        created.then().statusCode(201).body("kind", equalTo(k.kind()))
                .body("metadata.managedFields[0].operation", equalTo("Update"));
        request().get(item).then().statusCode(200).body(equalTo(created.asString()));
        request().queryParam("labelSelector", "suite=kinds").get(collection(k, ns)).then().statusCode(200)
                .body("kind", equalTo(k.kind() + "List")).body("items.size()", equalTo(1))
                .body("items[0].kind", equalTo(k.kind()));
        request().queryParam("labelSelector", "suite=none").get(BASE + "/" + k.plural()).then().statusCode(200)
                .body("items.size()", equalTo(0));

        String rv = created.jsonPath().getString("metadata.resourceVersion");
        try (WatchClient watch = WatchClient.open(root.toString().replaceAll("/$", ""),
                collection(k, ns) + "?watch=true&resourceVersion=" + rv)) {
            String replaced = body(k, "a", k.fields()).replace("\"labels\":{\"suite\":\"kinds\"}",
                    "\"labels\":{\"suite\":\"kinds\",\"step\":\"put\"},\"resourceVersion\":\"" + rv + "\"");
            request().contentType("application/json").body(replaced).put(item).then().statusCode(200)
                    .body("metadata.labels.step", equalTo("put"));
            request().contentType("application/merge-patch+json").body("{\"metadata\":{\"labels\":{\"step\":\"merge\"}}}")
                    .patch(item).then().statusCode(200).body("metadata.labels.step", equalTo("merge"));
            request().contentType("application/json-patch+json")
                    .body("[{\"op\":\"replace\",\"path\":\"/metadata/labels/step\",\"value\":\"json\"}]")
                    .patch(item).then().statusCode(200).body("metadata.labels.step", equalTo("json"));
            request().contentType("application/apply-patch+yaml").body(body(k, "a", k.fields()).replace(
                    "\"suite\":\"kinds\"", "\"applied\":\"yes\"")).patch(item + "?fieldManager=kinds-test")
                    .then().statusCode(200).body("metadata.labels.applied", equalTo("yes"));
            for (String step : new String[] {"put", "merge", "json", null}) {
                JsonNode event = watch.next();
                assertThat(event.path("type").asText()).isEqualTo("MODIFIED");
                assertThat(event.path("object").path("kind").asText()).isEqualTo(k.kind());
                if (step != null) {
                    assertThat(event.path("object").path("metadata").path("labels").path("step").asText())
                            .isEqualTo(step);
                }
            }
        }

        JsonNode table = new com.fasterxml.jackson.databind.ObjectMapper().readTree(request()
                .header("Accept", TableTest.KUBECTL_ACCEPT).get(collection(k, ns)).then().statusCode(200).extract()
                .asString());
        assertThat(table.path("columnDefinitions").findValuesAsText("name")).isEqualTo(k.columns());
        assertThat(table.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("a");

        request().get("/openapi/v3").then().statusCode(200);
        assertThat(request().urlEncodingEnabled(false).get(request().get("/openapi/v3").then().extract()
                .<String>path("paths.'apis/whereabouts.cni.cncf.io/v1alpha1'.serverRelativeURL")).asString())
                .contains("\"io.cncf.cni.whereabouts.v1alpha1." + k.kind() + "\"");

        request().contentType("application/json").body(body(k, "bad", k.invalidFields())).post(collection(k, ns))
                .then().statusCode(422).body("message", equalTo(k.kind() + ".whereabouts.cni.cncf.io \"bad\" is"
                        + " invalid: " + k.requiredError()));

        request().delete(item).then().statusCode(200).body("details.kind", equalTo(k.plural()));
        request().get(item).then().statusCode(404).body(equalTo(status(404, "NotFound", k.plural()
                + ".whereabouts.cni.cncf.io \"a\" not found", "{\"name\":\"a\",\"group\":\"whereabouts.cni.cncf.io\","
                + "\"kind\":\"" + k.plural() + "\"}")));
    }
}
