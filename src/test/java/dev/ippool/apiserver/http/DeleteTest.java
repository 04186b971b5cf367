package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeleteTest {

    @Test
    @DisplayName("DELETE removes: 200 Status Success with name, group, kind=ippools and uid, no code; then 404")
    void deletes() {
        String ns = freshNamespace();
        createPool(ns, "p");
        String uid = request().get(pool(ns, "p")).then().extract().path("metadata.uid");
        request().delete(pool(ns, "p")).then().statusCode(200).body(equalTo("{\"kind\":\"Status\",\"apiVersion\":"
                + "\"v1\",\"metadata\":{},\"status\":\"Success\",\"details\":{\"name\":\"p\",\"group\":"
                + "\"whereabouts.cni.cncf.io\",\"kind\":\"ippools\",\"uid\":\"" + uid + "\"}}\n"));
        request().get(pool(ns, "p")).then().statusCode(404);
        request().delete(pool(ns, "p")).then().statusCode(404).body("reason", equalTo("NotFound"));
    }

    @Test
    @DisplayName("preconditions from the body: a stale resourceVersion or another uid is 409 and deletes nothing")
    void preconditions() {
        String ns = freshNamespace();
        String rv = createPool(ns, "p");
        request().contentType("application/json")
                .body("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"resourceVersion\":\"1\"}}")
                .delete(pool(ns, "p")).then().statusCode(409).body(equalTo(status(409, "Conflict",
                        "Operation cannot be fulfilled on IPPool.whereabouts.cni.cncf.io \"p\": the ResourceVersion in"
                                + " the precondition (1) does not match the ResourceVersion in record (" + rv + ")."
                                + " The object might have been modified",
                        "{\"name\":\"p\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"IPPool\"}")));
        request().contentType("application/json").body("{\"preconditions\":{\"uid\":\"u-1\"}}").delete(pool(ns, "p"))
                .then().statusCode(409).body("message", matchesPattern(".*the UID in the precondition \\(u-1\\) does"
                        + " not match the UID in record \\(.+\\)\\. The object might have been deleted and then"
                        + " recreated"));
        request().get(pool(ns, "p")).then().statusCode(200);
        request().contentType("application/json").body("{\"preconditions\":{\"resourceVersion\":\"" + rv + "\"}}")
                .delete(pool(ns, "p")).then().statusCode(200).body("status", equalTo("Success"));
    }

    @Test
    @DisplayName("DeleteOptions from the query are read only when the body is empty; bad values are 422")
    void queryOptions() {
        String ns = freshNamespace();
        createPool(ns, "p");
        request().queryParam("propagationPolicy", "Sideways").delete(pool(ns, "p")).then().statusCode(422)
                .body(equalTo(status(422, "Invalid", "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy:"
                        + " Unsupported value: \"Sideways\": supported values: \"Foreground\", \"Background\","
                        + " \"Orphan\", \"nil\"",
                        "{\"group\":\"meta.k8s.io\",\"kind\":\"DeleteOptions\",\"causes\":[{\"reason\":"
                                + "\"FieldValueNotSupported\",\"message\":\"Unsupported value: \\\"Sideways\\\":"
                                + " supported values: \\\"Foreground\\\", \\\"Background\\\", \\\"Orphan\\\","
                                + " \\\"nil\\\"\",\"field\":\"propagationPolicy\"}]}")));
        request().queryParam("dryRun", "All").delete(pool(ns, "p")).then().statusCode(200)
                .body("status", equalTo("Success"));
        request().get(pool(ns, "p")).then().statusCode(200);
        // a non-empty body wins over the query
        request().contentType("application/json").body("{\"propagationPolicy\":\"Background\"}")
                .queryParam("propagationPolicy", "Sideways").delete(pool(ns, "p")).then().statusCode(200);
    }

    @Test
    @DisplayName("finalizers: DELETE marks (200 object, deletionTimestamp, generation+1); removing the last one deletes")
    void finalizers() {
        String ns = freshNamespace();
        create(ns, "{\"metadata\":{\"name\":\"f\",\"finalizers\":[\"example.com/hold\"]},\"spec\":{\"range\":\"r\","
                + "\"allocations\":{}}}").then().statusCode(201);
        String rv = request().delete(pool(ns, "f")).then().statusCode(200).body("kind", equalTo("IPPool"))
                .body("metadata.deletionTimestamp", notNullValue())
                .body("metadata.deletionGracePeriodSeconds", equalTo(0))
                .body("metadata.generation", equalTo(2)).extract().path("metadata.resourceVersion");
        // a repeated DELETE is a no-op answering the object
        request().delete(pool(ns, "f")).then().statusCode(200).body("metadata.resourceVersion", equalTo(rv));
        // no new finalizers while deleting
        request().contentType("application/merge-patch+json")
                .body("{\"metadata\":{\"finalizers\":[\"example.com/hold\",\"example.com/more\"]}}")
                .patch(pool(ns, "f")).then().statusCode(422).body("message", equalTo("IPPool.whereabouts.cni.cncf.io"
                        + " \"f\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the"
                        + " object is being deleted, found new finalizers []string{\"example.com/more\"}"));
        request().contentType("application/merge-patch+json").body("{\"metadata\":{\"finalizers\":null}}")
                .patch(pool(ns, "f")).then().statusCode(200);
        request().get(pool(ns, "f")).then().statusCode(404);
    }

    @Test
    @DisplayName("DELETE on the collection deletes what the selector picks and answers the IPPoolList as listed")
    void deleteCollection() {
        String ns = freshNamespace();
        for (String n : new String[] {"a", "b", "c"}) {
            create(ns, "{\"metadata\":{\"name\":\"" + n + "\",\"labels\":{\"del\":\"" + !n.equals("b") + "\"}},"
                    + "\"spec\":{\"range\":\"r\",\"allocations\":{}}}").then().statusCode(201);
        }
        request().queryParam("labelSelector", "del=true").delete(pools(ns)).then().statusCode(200)
                .body("kind", equalTo("IPPoolList")).body("items.metadata.name", contains("a", "c"))
                .body("metadata.resourceVersion", matchesPattern("[0-9]+"));
        request().get(pools(ns)).then().body("items.metadata.name", contains("b"));
    }
}
