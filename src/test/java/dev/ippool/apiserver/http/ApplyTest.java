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
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Server-side apply and managedFields over HTTP (reference §4). */
@QuarkusTest
class ApplyTest {

    private static final String GV = "whereabouts.cni.cncf.io/v1alpha1";

    private static Response apply(String ns, String name, String yaml, String query) {
        return request().contentType("application/apply-patch+yaml").body(yaml)
                .patch(pool(ns, name) + query);
    }

    private static String config(String name, String spec) {
        return "apiVersion: " + GV + "\nkind: IPPool\nmetadata:\n  name: " + name + "\nspec:\n" + spec;
    }

    @Test
    @DisplayName("option rules: fieldManager required (422), force only for apply (422), bad YAML 400")
    void options() {
        String ns = freshNamespace();
        apply(ns, "p", config("p", "  range: 10.0.0.0/24\n"), "").then().statusCode(422).body(equalTo(status(422,
                "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for"
                        + " apply patch", "{\"group\":\"meta.k8s.io\",\"kind\":\"PatchOptions\",\"causes\":[{\"reason\":"
                        + "\"FieldValueRequired\",\"message\":\"Required value: is required for apply patch\",\"field\":"
                        + "\"fieldManager\"}]}")));
        create(ns, poolJson("q", "10.0.0.0/24", "{}")).then().statusCode(201);
        request().contentType("application/merge-patch+json").body("{}").patch(pool(ns, "q") + "?force=true")
                .then().statusCode(422).body("message", equalTo("PatchOptions.meta.k8s.io \"\" is invalid: force:"
                        + " Forbidden: may not be specified for non-apply patch"));
        apply(ns, "p", "spec: [unclosed", "?fieldManager=ops").then().statusCode(400)
                .body("reason", equalTo("BadRequest")).body("message", startsWith("error decoding YAML: "));
    }

    @Test
    @DisplayName("apply creates (201) with an Apply entry; the same apply again is a no-op (same RV, same entry)")
    void createAndNoOp() {
        String ns = freshNamespace();
        String yaml = config("p", "  range: 10.0.0.0/24\n  allocations:\n    \"1\": {id: c1, podref: ns/a}\n");
        Response created = apply(ns, "p", yaml, "?fieldManager=ops");
        created.then().statusCode(201).body("spec.range", equalTo("10.0.0.0/24"))
                .body("metadata.managedFields[0].manager", equalTo("ops"))
                .body("metadata.managedFields[0].operation", equalTo("Apply"))
                .body("metadata.managedFields[0].apiVersion", equalTo(GV))
                .body("metadata.managedFields[0].fieldsType", equalTo("FieldsV1"))
                .body("metadata.managedFields[1]", nullValue());
        assertThat(created.jsonPath().getMap("metadata.managedFields[0].fieldsV1").toString()).isEqualTo(
                "{f:spec={f:allocations={f:1={.={}, f:id={}, f:podref={}}}, f:range={}}}");
        String rv = created.jsonPath().getString("metadata.resourceVersion");
        // re-apply until one lands in a later second than the create: the only change would be the entry's time
        java.time.Instant createdAt = java.time.Instant.parse(created.jsonPath().getString(
                "metadata.managedFields[0].time"));
        boolean laterSecond = false;
        while (!laterSecond) {
            laterSecond = java.time.Instant.now().isAfter(createdAt.plusSeconds(1));
            apply(ns, "p", yaml, "?fieldManager=ops").then().statusCode(200)
                    .body("metadata.resourceVersion", equalTo(rv))
                    .body("metadata.managedFields", equalTo(created.jsonPath().getList("metadata.managedFields")));
        }
        apply(ns, "d", config("d", "  range: 10.0.0.0/24\n  allocations: {}\n"), "?fieldManager=ops&dryRun=All")
                .then().statusCode(201);
        request().get(pool(ns, "d")).then().statusCode(404);
    }

    @Test
    @DisplayName("a field another manager set: 409 Conflict with FieldManagerConflict causes; force takes it")
    void conflicts() {
        String ns = freshNamespace();
        apply(ns, "p", config("p", "  range: 10.0.0.0/24\n  allocations: {}\n"), "?fieldManager=ops")
                .then().statusCode(201);
        request().contentType("application/merge-patch+json").body("{\"spec\":{\"range\":\"10.1.0.0/24\"}}")
                .patch(pool(ns, "p") + "?fieldManager=editor").then().statusCode(200);
        String message = "Apply failed with 1 conflict: conflict with \"editor\" using " + GV + ": .spec.range";
        apply(ns, "p", config("p", "  range: 10.2.0.0/24\n  allocations: {}\n"), "?fieldManager=ops")
                .then().statusCode(409).body(equalTo(status(409, "Conflict", message, "{\"causes\":[{\"reason\":"
                        + "\"FieldManagerConflict\",\"message\":\"conflict with \\\"editor\\\" using " + GV
                        + "\",\"field\":\".spec.range\"}]}")));
        Response forced = apply(ns, "p", config("p", "  range: 10.2.0.0/24\n  allocations: {}\n"),
                "?fieldManager=ops&force=true");
        forced.then().statusCode(200).body("spec.range", equalTo("10.2.0.0/24"));
        List<Map<String, Object>> entries = forced.jsonPath().getList("metadata.managedFields");
        assertThat(entries).extracting(e -> e.get("manager") + "/" + e.get("operation"))
                .containsExactly("ops/Apply");
    }

    @Test
    @DisplayName("allocations are owned per key: two appliers coexist; one dropping its key removes only that one")
    void perKeyAllocations() {
        String ns = freshNamespace();
        create(ns, poolJson("p", "10.0.0.0/24", "{}")).then().statusCode(201);
        apply(ns, "p", config("p", "  allocations:\n    \"1\": {id: a, podref: ns/a}\n"), "?fieldManager=node-a")
                .then().statusCode(200);
        apply(ns, "p", config("p", "  allocations:\n    \"2\": {id: b, podref: ns/b}\n"), "?fieldManager=node-b")
                .then().statusCode(200).body("spec.allocations.1.id", equalTo("a"))
                .body("spec.allocations.2.id", equalTo("b"));
        apply(ns, "p", config("p", "  allocations: {}\n"), "?fieldManager=node-a").then().statusCode(200)
                .body("spec.allocations.1", nullValue()).body("spec.allocations.2.id", equalTo("b"))
                .body("spec.range", equalTo("10.0.0.0/24"));
    }

    @Test
    @DisplayName("every write records an Update entry: fieldManager, else the User-Agent's product name")
    void updatesRecorded() {
        String ns = freshNamespace();
        request().contentType("application/json").body(poolJson("p", "10.0.0.0/24", "{}"))
                .post(pools(ns) + "?fieldManager=creator").then().statusCode(201)
                .body("metadata.managedFields[0].manager", equalTo("creator"))
                .body("metadata.managedFields[0].operation", equalTo("Update"))
                .body("metadata.managedFields[0].fieldsV1.'f:spec'.'f:range'", equalTo(Map.of()));
        request().contentType("application/json-patch+json")
                .body("[{\"op\":\"replace\",\"path\":\"/spec/range\",\"value\":\"10.3.0.0/24\"}]")
                .patch(pool(ns, "p")).then().statusCode(200)
                .body("metadata.managedFields.manager", equalTo(List.of("creator", "ippool-tests")))
                .body("metadata.managedFields[1].fieldsV1.'f:spec'.'f:range'", equalTo(Map.of()))
                .body("metadata.managedFields[0].fieldsV1.'f:spec'.'f:range'", nullValue());
    }

    @Test
    @DisplayName("an object etcd refuses only because of its managedFields is written without them")
    void tooLargeRetriesWithoutManagedFields() {
        String ns = freshNamespace();
        StringBuilder allocations = new StringBuilder("{");
        for (int i = 0; i < 30000; i++) {
            allocations.append(i == 0 ? "" : ",").append("\"").append(i).append("\":{\"id\":\"c").append(i)
                    .append("\",\"podref\":\"n/p\"}");
        }
        String body = poolJson("big", "10.0.0.0/8", allocations + "}");
        assertThat(body.length()).isBetween(1_000_000, 1_400_000);
        request().contentType("application/json").body(body).post(pools(ns)).then().statusCode(201)
                .body("metadata.managedFields", nullValue());
        request().get(pool(ns, "big")).then().statusCode(200).body("metadata.managedFields", nullValue())
                .body("spec.allocations.29999.id", equalTo("c29999"));
    }
}
