package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ValidationTest {

    private static final String SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
            + " characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
            + " regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    @Test
    @DisplayName("spec present needs range and allocations: one cause per field, kube's message")
    void requiredFields() {
        String ns = freshNamespace();
        create(ns, "{\"metadata\":{\"name\":\"p1\"},\"spec\":{}}").then().statusCode(422).body(equalTo(status(422,
                "Invalid", "IPPool.whereabouts.cni.cncf.io \"p1\" is invalid: [spec.allocations: Required value,"
                        + " spec.range: Required value]",
                "{\"name\":\"p1\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"IPPool\",\"causes\":["
                        + "{\"reason\":\"FieldValueRequired\",\"message\":\"Required value\",\"field\":\"spec.allocations\"},"
                        + "{\"reason\":\"FieldValueRequired\",\"message\":\"Required value\",\"field\":\"spec.range\"}]}")));
        request().get(pool(ns, "p1")).then().statusCode(404);
    }

    @Test
    @DisplayName("each allocation needs id and podref; types are checked")
    void allocationsAndTypes() {
        String ns = freshNamespace();
        create(ns, "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"range\":7,\"allocations\":{\"1\":{\"id\":\"x\"}}}}")
                .then().statusCode(422)
                .body("message", equalTo("IPPool.whereabouts.cni.cncf.io \"p\" is invalid: [spec.allocations.1.podref:"
                        + " Required value, spec.range: Invalid value: \"integer\": spec.range in body must be of type"
                        + " string: \"integer\"]"))
                .body("details.causes.reason", contains("FieldValueRequired", "FieldValueTypeInvalid"))
                .body("details.causes.field", contains("spec.allocations.1.podref", "spec.range"));
    }

    @Test
    @DisplayName("names must be DNS-1123 subdomains; name or generateName is required")
    void names() {
        String ns = freshNamespace();
        create(ns, "{\"metadata\":{\"name\":\"Bad_Name\"}}").then().statusCode(422)
                .body("message", equalTo("IPPool.whereabouts.cni.cncf.io \"Bad_Name\" is invalid: metadata.name:"
                        + " Invalid value: \"Bad_Name\": " + SUBDOMAIN));
        create(ns, "{\"metadata\":{}}").then().statusCode(422)
                .body("message", equalTo("IPPool.whereabouts.cni.cncf.io \"\" is invalid: metadata.name: Required"
                        + " value: name or generateName is required"));
    }

    @Test
    @DisplayName("fieldValidation: Warn (default) prunes with one Warning per field; Strict is 400; Ignore is silent")
    void unknownFields() {
        String ns = freshNamespace();
        String body = "{\"metadata\":{\"name\":\"w\",\"bogus\":1},\"spec\":{\"range\":\"10.0.0.0/24\",\"allocations\":{},"
                + "\"foo\":true},\"status\":{}}";
        request().contentType("application/json").body(body).post(pools(ns)).then().statusCode(201)
                .body("spec.foo", nullValue()).body("status", nullValue()).body("metadata.bogus", nullValue());
        io.restassured.response.Response warned = request().contentType("application/json")
                .body(body.replace("\"w\"", "\"w2\"")).post(pools(ns));
        org.assertj.core.api.Assertions.assertThat(warned.headers().getValues("Warning")).containsExactly(
                "299 - \"unknown field \\\"metadata.bogus\\\"\"", "299 - \"unknown field \\\"spec.foo\\\"\"",
                "299 - \"unknown field \\\"status\\\"\"");
        request().contentType("application/json").queryParam("fieldValidation", "Strict")
                .body(body.replace("\"w\"", "\"s\"")).post(pools(ns)).then().statusCode(400)
                .body(equalTo(status(400, "BadRequest", "IPPool in version \"v1alpha1\" cannot be handled as a IPPool:"
                        + " strict decoding error: unknown field \"metadata.bogus\", unknown field \"spec.foo\","
                        + " unknown field \"status\"", null)));
        request().get(pool(ns, "s")).then().statusCode(404);
        request().contentType("application/json").queryParam("fieldValidation", "Ignore")
                .body(body.replace("\"w\"", "\"i\"")).post(pools(ns)).then().statusCode(201)
                .header("Warning", nullValue());
        request().contentType("application/json").queryParam("fieldValidation", "Loud")
                .body(body.replace("\"w\"", "\"l\"")).post(pools(ns)).then().statusCode(422)
                .body("message", equalTo("CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported"
                        + " value: \"Loud\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\""));
    }

    @Test
    @DisplayName("duplicate fields warn under Warn and fail under Strict")
    void duplicateFields() {
        String ns = freshNamespace();
        String body = "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"range\":\"10.0.0.0/24\",\"range\":\"10.1.0.0/24\","
                + "\"allocations\":{}}}";
        request().contentType("application/json").body(body).post(pools(ns)).then().statusCode(201)
                .header("Warning", equalTo("299 - \"duplicate field \\\"spec.range\\\"\""))
                .body("spec.range", equalTo("10.1.0.0/24"));
        request().contentType("application/json").queryParam("fieldValidation", "Strict")
                .body(body.replace("\"d\"", "\"d2\"")).post(pools(ns)).then().statusCode(400)
                .body("message", equalTo("IPPool in version \"v1alpha1\" cannot be handled as a IPPool: strict decoding"
                        + " error: duplicate field \"spec.range\""));
    }

    @Test
    @DisplayName("a range that is not a CIDR is accepted (as kube does) with a Warning saying so")
    void rangeWarning() {
        String ns = freshNamespace();
        create(ns, "{\"metadata\":{\"name\":\"r\"},\"spec\":{\"range\":\"not-a-cidr\",\"allocations\":{}}}")
                .then().statusCode(201).header("Warning", equalTo("299 - \"spec.range: \\\"not-a-cidr\\\" is not a"
                        + " valid CIDR; Whereabouts cannot allocate from this pool\""));
        create(ns, "{\"metadata\":{\"name\":\"v6\"},\"spec\":{\"range\":\"fd00::/64\",\"allocations\":{}}}")
                .then().statusCode(201).header("Warning", nullValue());
    }

    @Test
    @DisplayName("labels are validated as qualified names and label values")
    void labels() {
        String ns = freshNamespace();
        create(ns, "{\"metadata\":{\"name\":\"l\",\"labels\":{\"ok\":\"bad value!\"}}}").then().statusCode(422)
                .body("details.causes[0].field", equalTo("metadata.labels[ok]"))
                .body("details.causes[0].reason", equalTo("FieldValueInvalid"));
    }
}
