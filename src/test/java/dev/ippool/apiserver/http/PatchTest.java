package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PatchTest {

    static final String REJECTED = status(422, "Invalid",
            "the server rejected our request due to an error in our request", "{}");

    static Response jsonPatch(String ns, String name, String ops) {
        return request().contentType("application/json-patch+json").body(ops).patch(pool(ns, name));
    }

    @Test
    @DisplayName("Whereabouts' patch [test rv, test missing key null, add] succeeds; replayed it fails 422 Invalid")
    void whereaboutsPatch() {
        String ns = freshNamespace();
        String rv = createPool(ns, "p");
        String ops = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + rv + "\"},"
                + "{\"op\":\"test\",\"path\":\"/spec/allocations/5\",\"value\":null},"
                + "{\"op\":\"add\",\"path\":\"/spec/allocations/5\",\"value\":{\"id\":\"c\",\"podref\":\"ns/p\"}}]";
        jsonPatch(ns, "p", ops).then().statusCode(200).body("spec.allocations.5.podref", equalTo("ns/p"))
                .body("metadata.generation", equalTo(2)).body("metadata.resourceVersion", not(equalTo(rv)));
        jsonPatch(ns, "p", ops).then().statusCode(422).body(equalTo(REJECTED));
    }

    @Test
    @DisplayName("a test of a missing key under a missing parent fails; remove of a missing key fails: both 422")
    void failedOperations() {
        String ns = freshNamespace();
        createPool(ns, "p");
        jsonPatch(ns, "p", "[{\"op\":\"test\",\"path\":\"/spec/nothere/x\",\"value\":null}]").then().statusCode(422)
                .body(equalTo(REJECTED));
        jsonPatch(ns, "p", "[{\"op\":\"remove\",\"path\":\"/spec/allocations/9\"}]").then().statusCode(422)
                .body(equalTo(REJECTED));
        jsonPatch(ns, "p", "[{\"op\":\"test\",\"path\":\"/spec/range\",\"value\":null}]").then().statusCode(422)
                .body(equalTo(REJECTED));
    }

    @Test
    @DisplayName("a patch that sets a different resourceVersion is 409 Conflict")
    void conflictOnlyWhenPatchSetsRv() {
        String ns = freshNamespace();
        createPool(ns, "p");
        request().contentType("application/merge-patch+json").body("{\"metadata\":{\"resourceVersion\":\"1\"}}")
                .patch(pool(ns, "p")).then().statusCode(409).body("reason", equalTo("Conflict"));
    }

    @Test
    @DisplayName("merge patch: null deletes, objects merge; on a missing object 404")
    void mergePatch() {
        String ns = freshNamespace();
        create(ns, poolJson("p", "10.0.0.0/24", "{\"1\":{\"id\":\"a\",\"podref\":\"x/a\"},\"2\":{\"id\":\"b\","
                + "\"podref\":\"x/b\"}}")).then().statusCode(201);
        request().contentType("application/merge-patch+json")
                .body("{\"metadata\":{\"labels\":{\"k\":\"v\"}},\"spec\":{\"allocations\":{\"1\":null}}}")
                .patch(pool(ns, "p")).then().statusCode(200).body("metadata.labels.k", equalTo("v"))
                .body("spec.allocations.1", nullValue()).body("spec.allocations.2.id", equalTo("b"));
        request().contentType("application/merge-patch+json").body("{}").patch(pool(ns, "ghost"))
                .then().statusCode(404).body("reason", equalTo("NotFound"));
    }

    @Test
    @DisplayName("strategic merge and unknown types are 415 with kube's text; malformed JSON patch is 400")
    void mediaTypes() {
        String ns = freshNamespace();
        createPool(ns, "p");
        request().contentType("application/strategic-merge-patch+json").body("{}").patch(pool(ns, "p"))
                .then().statusCode(415).body(equalTo(status(415, "UnsupportedMediaType",
                        "the body of the request was in an unknown format - accepted media types include: "
                                + "application/json-patch+json, application/merge-patch+json, "
                                + "application/apply-patch+yaml", null)));
        jsonPatch(ns, "p", "{\"op\":\"add\"}").then().statusCode(400).body("reason", equalTo("BadRequest"));
        jsonPatch(ns, "p", "[{\"op\":").then().statusCode(400).body("reason", equalTo("BadRequest"));
    }

    @Test
    @DisplayName("more than 10000 operations is 413 with kube's text")
    void tooManyOperations() {
        String ns = freshNamespace();
        createPool(ns, "p");
        StringBuilder ops = new StringBuilder("[");
        for (int i = 0; i < 10001; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"op\":\"test\",\"path\":\"/kind\",\"value\":\"IPPool\"}");
        }
        jsonPatch(ns, "p", ops.append("]").toString()).then().statusCode(413).body(equalTo(status(413,
                "RequestEntityTooLarge", "Request entity too large: The allowed maximum operations in a JSON patch is"
                        + " 10000, got 10001", null)));
    }

    @Test
    @DisplayName("fieldValidation on PATCH: Strict is 422 naming the field; Warn sends a Warning header")
    void fieldValidation() {
        String ns = freshNamespace();
        createPool(ns, "p");
        request().contentType("application/merge-patch+json").queryParam("fieldValidation", "Strict")
                .body("{\"spec\":{\"foo\":1}}").patch(pool(ns, "p")).then().statusCode(422)
                .body("reason", equalTo("Invalid"))
                .body("details.causes[0].field", equalTo("patch"))
                .body("message", org.hamcrest.Matchers.endsWith("strict decoding error: unknown field \"spec.foo\""));
        request().contentType("application/merge-patch+json").body("{\"spec\":{\"foo\":1}}").patch(pool(ns, "p"))
                .then().statusCode(200).header("Warning", equalTo("299 - \"unknown field \\\"spec.foo\\\"\""))
                .body("spec.foo", nullValue());
    }

    @Test
    @DisplayName("dryRun=All on PATCH answers the patched object and persists nothing")
    void dryRun() {
        String ns = freshNamespace();
        String rv = createPool(ns, "p");
        request().contentType("application/merge-patch+json").queryParam("dryRun", "All")
                .body("{\"spec\":{\"range\":\"10.5.0.0/24\"}}").patch(pool(ns, "p"))
                .then().statusCode(200).body("spec.range", equalTo("10.5.0.0/24"));
        request().get(pool(ns, "p")).then().body("spec.range", equalTo("10.0.0.0/24"))
                .body("metadata.resourceVersion", equalTo(rv));
    }
}
