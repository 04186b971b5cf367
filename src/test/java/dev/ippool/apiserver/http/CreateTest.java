package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import dev.ippool.apiserver.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CreateTest {

    private static final String DETAILS = "{\"name\":\"%s\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"ippools\"}";

    @Test
    @DisplayName("POST creates: 201, system metadata filled, generation 1, resourceVersion, keys sorted, newline")
    void creates() {
        String ns = freshNamespace();
        Response r = create(ns, "{\"spec\":{\"range\":\"10.1.0.0/24\",\"allocations\":{\"1\":{\"podref\":\"a/b\","
                + "\"id\":\"c1\",\"ifname\":\"net1\"}}},\"metadata\":{\"name\":\"p1\",\"uid\":\"client-set\","
                + "\"creationTimestamp\":\"2001-01-01T00:00:00Z\",\"labels\":{\"a\":\"b\"}},"
                + "\"kind\":\"IPPool\",\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\"}");
        r.then().statusCode(201).contentType("application/json")
                .header("Cache-Control", "no-cache, private")
                .header("Audit-Id", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
                .body("metadata.name", equalTo("p1"))
                .body("metadata.namespace", equalTo(ns))
                .body("metadata.generation", equalTo(1))
                .body("metadata.uid", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
                .body("metadata.creationTimestamp", matchesPattern("20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"))
                .body("metadata.resourceVersion", matchesPattern("[1-9][0-9]*"))
                .body("spec.allocations.1.ifname", equalTo("net1"));
        String body = r.asString();
        assertThat(body).endsWith("}\n").startsWith("{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":"
                + "\"IPPool\",\"metadata\":{\"creationTimestamp\":");
        assertThat(body).contains("\"spec\":{\"allocations\":{\"1\":{\"id\":\"c1\",\"ifname\":\"net1\","
                + "\"podref\":\"a/b\"}},\"range\":\"10.1.0.0/24\"}}");
        assertThat(r.jsonPath().getString("metadata.uid")).isNotEqualTo("client-set");
        // the stored object reads back identically
        request().get(Api.pool(ns, "p1")).then().statusCode(200).body(equalTo(body));
    }

    @Test
    @DisplayName("allocation keys are opaque strings that round-trip byte for byte; allocations {} when empty")
    void opaqueKeys() {
        String ns = freshNamespace();
        String allocations = "{\"-3844666706890850303\":{\"id\":\"a\",\"podref\":\"x/a\"},\"0\":{\"id\":\"b\","
                + "\"podref\":\"x/b\"},\"18446463705355360228\":{\"id\":\"c\",\"podref\":\"x/c\"}}";
        String body = create(ns, poolJson("fd00---64", "fd00::/64", allocations)).then().statusCode(201)
                .extract().asString();
        assertThat(body).contains("\"allocations\":" + allocations);
        String empty = create(ns, poolJson("empty", "10.0.0.0/24", "{}")).then().statusCode(201).extract().asString();
        assertThat(empty).contains("\"spec\":{\"allocations\":{},\"range\":\"10.0.0.0/24\"}");
    }

    @Test
    @DisplayName("a second POST of the same name is 409 AlreadyExists with kube's body")
    void alreadyExists() {
        String ns = freshNamespace();
        Api.createPool(ns, "dup");
        create(ns, poolJson("dup", "10.0.0.0/24", "{}")).then().statusCode(409).body(equalTo(status(409,
                "AlreadyExists", "ippools.whereabouts.cni.cncf.io \"dup\" already exists", DETAILS.formatted("dup"))));
    }

    @Test
    @DisplayName("POST with resourceVersion is 400 BadRequest (kube: 500, fixed on purpose) and writes nothing")
    void resourceVersionOnCreate() {
        String ns = freshNamespace();
        create(ns, "{\"metadata\":{\"name\":\"rv\",\"resourceVersion\":\"12\"},\"spec\":{\"range\":\"10.0.0.0/24\","
                + "\"allocations\":{}}}").then().statusCode(400).body(equalTo(status(400, "BadRequest",
                        "resourceVersion should not be set on objects to be created", null)));
        request().get(Api.pool(ns, "rv")).then().statusCode(404);
    }

    @Test
    @DisplayName("generateName: prefix plus five characters from kube's alphabet")
    void generateName() {
        String ns = freshNamespace();
        create(ns, "{\"metadata\":{\"generateName\":\"pool-\"},\"spec\":{\"range\":\"10.0.0.0/24\",\"allocations\":{}}}")
                .then().statusCode(201).body("metadata.name", matchesPattern("pool-[bcdfghjklmnpqrstvwxz2456789]{5}"))
                .body("metadata.generateName", equalTo("pool-"));
    }

    @Test
    @DisplayName("namespace: empty is filled from the URL; a different one is 400; an impossible one is 404")
    void namespaces() {
        String ns = freshNamespace();
        create(ns, "{\"metadata\":{\"name\":\"a\",\"namespace\":\"other\"},\"spec\":{\"range\":\"r\",\"allocations\":{}}}")
                .then().statusCode(400).body(equalTo(status(400, "BadRequest",
                        "the namespace of the provided object does not match the namespace sent on the request", null)));
        create("Not_A_Label", poolJson("a", "10.0.0.0/24", "{}")).then().statusCode(404).body(equalTo(status(404,
                "NotFound", "namespaces \"Not_A_Label\" not found", "{\"name\":\"Not_A_Label\",\"kind\":\"namespaces\"}")));
    }

    @Test
    @DisplayName("apiVersion of another group is 400; a wrong kind is 422; missing ones are defaulted")
    void typeMeta() {
        String ns = freshNamespace();
        create(ns, "{\"apiVersion\":\"v1\",\"kind\":\"IPPool\",\"metadata\":{\"name\":\"a\"}}").then().statusCode(400)
                .body(equalTo(status(400, "BadRequest", "the API version in the data (v1) does not match the expected"
                        + " API version (whereabouts.cni.cncf.io/v1alpha1)", null)));
        create(ns, "{\"kind\":\"Foo\",\"metadata\":{\"name\":\"a\"}}").then().statusCode(422).body(equalTo(status(422,
                "Invalid", "IPPool.whereabouts.cni.cncf.io \"a\" is invalid: kind: Invalid value: \"Foo\": must be IPPool",
                "{\"name\":\"a\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"IPPool\",\"causes\":[{\"reason\":"
                        + "\"FieldValueInvalid\",\"message\":\"Invalid value: \\\"Foo\\\": must be IPPool\",\"field\":"
                        + "\"kind\"}]}")));
        create(ns, "{\"metadata\":{\"name\":\"bare\"}}").then().statusCode(201)
                .body("apiVersion", equalTo("whereabouts.cni.cncf.io/v1alpha1")).body("kind", equalTo("IPPool"))
                .body("spec", nullValue());
    }

    @Test
    @DisplayName("dryRun=All validates and answers as a create would, but persists nothing")
    void dryRun() {
        String ns = freshNamespace();
        request().contentType("application/json").body(poolJson("dry", "10.0.0.0/24", "{}"))
                .queryParam("dryRun", "All").post(pools(ns))
                .then().statusCode(201).body("metadata.name", equalTo("dry")).body("metadata.uid", matchesPattern(".+"))
                .body("metadata.resourceVersion", nullValue());
        request().get(Api.pool(ns, "dry")).then().statusCode(404);
        request().contentType("application/json").body(poolJson("dry", "10.0.0.0/24", "{}"))
                .queryParam("dryRun", "Some").post(pools(ns)).then().statusCode(422).body(equalTo(status(422, "Invalid",
                        "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Some\"}: "
                                + "supported values: \"All\"",
                        "{\"group\":\"meta.k8s.io\",\"kind\":\"CreateOptions\",\"causes\":[{\"reason\":"
                                + "\"FieldValueNotSupported\",\"message\":\"Unsupported value: []string{\\\"Some\\\"}: "
                                + "supported values: \\\"All\\\"\",\"field\":\"dryRun\"}]}")));
    }

    @Test
    @DisplayName("a YAML body is accepted like JSON")
    void yamlBody() {
        String ns = freshNamespace();
        request().contentType("application/yaml").body("apiVersion: whereabouts.cni.cncf.io/v1alpha1\nkind: IPPool\n"
                + "metadata:\n  name: from-yaml\nspec:\n  range: 10.2.0.0/24\n  allocations:\n    \"1\":\n"
                + "      id: abc\n      podref: ns/pod\n").post(pools(ns))
                .then().statusCode(201).body("spec.allocations.1.podref", equalTo("ns/pod"));
    }
}
