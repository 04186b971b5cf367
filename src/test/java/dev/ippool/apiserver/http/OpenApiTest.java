package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OpenAPI v3 with what kubectl's strict validation and explain look for (reference §7). */
@QuarkusTest
class OpenApiTest {

    private static final String GV = "apis/whereabouts.cni.cncf.io/v1alpha1";
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode document() throws Exception {
        String url = json.readTree(request().get("/openapi/v3").then().statusCode(200).extract().asString())
                .path("paths").path(GV).path("serverRelativeURL").asText();
        assertThat(url).matches("/openapi/v3/" + GV + "\\?hash=[0-9A-F]{128}");
        return json.readTree(request().urlEncodingEnabled(false).get(url).then().statusCode(200)
                .header("Cache-Control", "public, immutable").extract().asString());
    }

    @Test
    @DisplayName("every operation names its GVK and action; PATCH takes exactly the three CR patch types and"
            + " fieldValidation")
    void operations() throws Exception {
        JsonNode paths = document().path("paths");
        String item = "/" + GV + "/namespaces/{namespace}/ippools/{name}";
        assertThat(paths.fieldNames()).toIterable().contains("/" + GV + "/ippools",
                "/" + GV + "/namespaces/{namespace}/ippools", item,
                "/" + GV + "/namespaces/{namespace}/overlappingrangeipreservations/{name}",
                "/" + GV + "/namespaces/{namespace}/nodeslicepools/{name}").hasSize(9);
        JsonNode patch = paths.path(item).path("patch");
        assertThat(patch.path("x-kubernetes-group-version-kind").toString())
                .isEqualTo("{\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"IPPool\",\"version\":\"v1alpha1\"}");
        assertThat(patch.path("x-kubernetes-action").asText()).isEqualTo("patch");
        assertThat(patch.path("requestBody").path("content").fieldNames()).toIterable().containsExactly(
                "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json");
        List<String> params = new ArrayList<>();
        patch.path("parameters").forEach(p -> params.add(p.path("in").asText() + ":" + p.path("name").asText()));
        assertThat(params).containsExactly("query:dryRun", "query:fieldManager", "query:fieldValidation",
                "query:force");
        assertThat(paths.path(item).path("get").path("operationId").asText())
                .isEqualTo("readWhereaboutsCniCncfIoV1alpha1NamespacedIPPool");
        assertThat(paths.path("/" + GV + "/namespaces/{namespace}/ippools").path("post").path("parameters")
                .toString()).contains("\"name\":\"fieldValidation\"");
    }

    @Test
    @DisplayName("schemas under kube's names, with the CRD's structure for kubectl explain")
    void schemas() throws Exception {
        JsonNode schemas = document().path("components").path("schemas");
        JsonNode pool = schemas.path("io.cncf.cni.whereabouts.v1alpha1.IPPool");
        assertThat(pool.path("x-kubernetes-group-version-kind").toString())
                .isEqualTo("[{\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"IPPool\",\"version\":\"v1alpha1\"}]");
        JsonNode spec = pool.path("properties").path("spec");
        assertThat(spec.path("required").toString()).isEqualTo("[\"allocations\",\"range\"]");
        JsonNode allocation = spec.path("properties").path("allocations").path("additionalProperties");
        assertThat(allocation.path("required").toString()).isEqualTo("[\"id\",\"podref\"]");
        assertThat(allocation.path("properties").fieldNames()).toIterable().containsExactly("id", "ifname", "podref");
        assertThat(pool.path("properties").path("metadata").path("allOf").get(0).path("$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(schemas.has("io.cncf.cni.whereabouts.v1alpha1.IPPoolList")).isTrue();
        assertThat(schemas.has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).isTrue();
    }

    @Test
    @DisplayName("ETag / If-None-Match 304; an outdated hash redirects to the current one; unknown GV 404")
    void caching() {
        String url = request().get("/openapi/v3").then().extract().path("paths.'" + GV + "'.serverRelativeURL");
        String etag = request().urlEncodingEnabled(false).get(url).then().extract().header("ETag");
        request().urlEncodingEnabled(false).header("If-None-Match", etag).get(url).then().statusCode(304);
        request().redirects().follow(false).get("/openapi/v3/" + GV + "?hash=0123").then().statusCode(301)
                .header("Location", org.hamcrest.Matchers.endsWith(url));
        request().get("/openapi/v3/apis/example.com/v1").then().statusCode(404);
    }
}
