package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UpdateTest {

    private static Response put(String ns, String name, String body) {
        return request().contentType("application/json").body(body).put(pool(ns, name));
    }

    private static String poolWith(String name, String rv, String range, String extraMeta) {
        return "{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\",\"metadata\":{\"name\":\""
                + name + "\"" + (rv == null ? "" : ",\"resourceVersion\":\"" + rv + "\"") + extraMeta
                + "},\"spec\":{\"range\":\"" + range + "\",\"allocations\":{}}}";
    }

    @Test
    @DisplayName("PUT with the current resourceVersion replaces: new RV, generation +1, uid and creation kept")
    void replaces() {
        String ns = freshNamespace();
        JsonPath created = request().contentType("application/json")
                .body(poolWith("p", null, "10.0.0.0/24", "")).post(dev.ippool.apiserver.support.Api.pools(ns))
                .then().statusCode(201).extract().jsonPath();
        String rv = created.getString("metadata.resourceVersion");
        JsonPath updated = put(ns, "p", poolWith("p", rv, "10.9.0.0/24", ",\"creationTimestamp\":\"1999-01-01T00:00:00Z\""))
                .then().statusCode(200).extract().jsonPath();
        assertThat(updated.getString("spec.range")).isEqualTo("10.9.0.0/24");
        assertThat(Long.parseLong(updated.getString("metadata.resourceVersion"))).isGreaterThan(Long.parseLong(rv));
        assertThat(updated.getInt("metadata.generation")).isEqualTo(2);
        assertThat(updated.getString("metadata.uid")).isEqualTo(created.getString("metadata.uid"));
        assertThat(updated.getString("metadata.creationTimestamp"))
                .isEqualTo(created.getString("metadata.creationTimestamp"));
    }

    @Test
    @DisplayName("a metadata-only change keeps generation; an identical PUT writes nothing and keeps the RV")
    void generationAndNoOp() {
        String ns = freshNamespace();
        String rv = createPool(ns, "p");
        String labelled = put(ns, "p", poolWith("p", rv, "10.0.0.0/24", ",\"labels\":{\"a\":\"b\"}"))
                .then().statusCode(200).body("metadata.generation", equalTo(1)).extract()
                .path("metadata.resourceVersion");
        assertThat(labelled).isNotEqualTo(rv);
        put(ns, "p", poolWith("p", labelled, "10.0.0.0/24", ",\"labels\":{\"a\":\"b\"}"))
                .then().statusCode(200).body("metadata.resourceVersion", equalTo(labelled));
    }

    @Test
    @DisplayName("PUT never creates (404); without resourceVersion 422; with a stale one 409 Conflict")
    void concurrencyRules() {
        String ns = freshNamespace();
        put(ns, "ghost", poolWith("ghost", "5", "10.0.0.0/24", "")).then().statusCode(404).body(equalTo(status(404,
                "NotFound", "ippools.whereabouts.cni.cncf.io \"ghost\" not found",
                "{\"name\":\"ghost\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"ippools\"}")));
        String rv = createPool(ns, "p");
        put(ns, "p", poolWith("p", null, "10.0.0.0/24", "")).then().statusCode(422).body(equalTo(status(422, "Invalid",
                "ippools.whereabouts.cni.cncf.io \"p\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be"
                        + " specified for an update",
                "{\"name\":\"p\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"ippools\",\"causes\":[{\"reason\":"
                        + "\"FieldValueInvalid\",\"message\":\"Invalid value: 0x0: must be specified for an update\","
                        + "\"field\":\"metadata.resourceVersion\"}]}")));
        put(ns, "p", poolWith("p", rv, "10.0.1.0/24", "")).then().statusCode(200);
        put(ns, "p", poolWith("p", rv, "10.0.2.0/24", "")).then().statusCode(409).body(equalTo(status(409, "Conflict",
                "Operation cannot be fulfilled on ippools.whereabouts.cni.cncf.io \"p\": the object has been modified;"
                        + " please apply your changes to the latest version and try again",
                "{\"name\":\"p\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"ippools\"}")));
        request().get(pool(ns, "p")).then().body("spec.range", equalTo("10.0.1.0/24"));
    }

    @Test
    @DisplayName("name mismatch with the URL is 400; a changed uid is 422 field is immutable")
    void mismatches() {
        String ns = freshNamespace();
        String rv = createPool(ns, "p");
        put(ns, "p", poolWith("q", rv, "10.0.0.0/24", "")).then().statusCode(400).body(equalTo(status(400, "BadRequest",
                "the name of the object (q) does not match the name on the URL (p)", null)));
        put(ns, "p", poolWith("p", rv, "10.0.0.0/24", ",\"uid\":\"other\"")).then().statusCode(422)
                .body("message", equalTo("IPPool.whereabouts.cni.cncf.io \"p\" is invalid: metadata.uid: Invalid value:"
                        + " \"other\": field is immutable"))
                .body("details.causes[0].field", equalTo("metadata.uid"));
    }

    @Test
    @DisplayName("PUT or PATCH on the collection is 400 name must be provided")
    void collectionWrites() {
        String ns = freshNamespace();
        request().contentType("application/json").body("{}").put(dev.ippool.apiserver.support.Api.pools(ns))
                .then().statusCode(400).body(equalTo(status(400, "BadRequest", "name must be provided", null)));
        request().contentType("application/merge-patch+json").body("{}").patch(dev.ippool.apiserver.support.Api.pools(ns))
                .then().statusCode(400).body(equalTo(status(400, "BadRequest", "name must be provided", null)));
    }

    @Test
    @DisplayName("dryRun=All on PUT answers the updated object and persists nothing")
    void dryRun() {
        String ns = freshNamespace();
        String rv = createPool(ns, "p");
        request().contentType("application/json").queryParam("dryRun", "All")
                .body(poolWith("p", rv, "10.7.0.0/24", "")).put(pool(ns, "p"))
                .then().statusCode(200).body("spec.range", equalTo("10.7.0.0/24"))
                .body("metadata.resourceVersion", equalTo(rv));
        request().get(pool(ns, "p")).then().body("spec.range", equalTo("10.0.0.0/24"))
                .body("metadata.resourceVersion", equalTo(rv));
    }
}
