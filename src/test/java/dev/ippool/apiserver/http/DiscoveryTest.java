package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Discovery as kube-apiserver serves it for the IPPool CRD (reference §7). */
@QuarkusTest
class DiscoveryTest {

    private static final String GROUP = "{\"name\":\"whereabouts.cni.cncf.io\",\"versions\":[{\"groupVersion\":"
            + "\"whereabouts.cni.cncf.io/v1alpha1\",\"version\":\"v1alpha1\"}],\"preferredVersion\":{\"groupVersion\":"
            + "\"whereabouts.cni.cncf.io/v1alpha1\",\"version\":\"v1alpha1\"}}";
    private static final String VERBS = "[\"delete\",\"deletecollection\",\"get\",\"list\",\"patch\",\"create\","
            + "\"update\",\"watch\"]";
    private static final String AGGREGATED_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;"
            + "as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
            + "application/json";

    @Test
    @DisplayName("/apis, /apis/<group> and /apis/<group>/<version>: kube's exact documents")
    void legacyDocuments() {
        request().get("/apis").then().statusCode(200).contentType("application/json")
                .body(equalTo("{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + GROUP + "]}\n"));
        request().get("/apis/whereabouts.cni.cncf.io").then().statusCode(200)
                .body(equalTo("{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\"," + GROUP.substring(1) + "\n"));
        request().get("/apis/whereabouts.cni.cncf.io/v1alpha1").then().statusCode(200)
                .body(equalTo("{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":"
                        + "\"whereabouts.cni.cncf.io/v1alpha1\",\"resources\":[{\"name\":\"ippools\",\"singularName\":"
                        + "\"ippool\",\"namespaced\":true,\"kind\":\"IPPool\",\"verbs\":" + VERBS
                        + ",\"storageVersionHash\":\"XbcZnDfxtSo=\"},"
                        + resource("overlappingrangeipreservations", "overlappingrangeipreservation",
                                "OverlappingRangeIPReservation", "OverlappingRangeIPReservation") + ","
                        + resource("nodeslicepools", "nodeslicepool", "NodeSlicePool", "NodeSlicePool") + "]}\n"));
    }

    @Test
    @DisplayName("unknown groups and versions, and /api, are the plain 404 client-go tolerates")
    void notFound() {
        for (String path : new String[] {"/api", "/apis/example.com", "/apis/whereabouts.cni.cncf.io/v1"}) {
            request().get(path).then().statusCode(404).body(equalTo("404 page not found\n"));
        }
    }

    @Test
    @DisplayName("aggregated discovery v2 when asked for: its content type, ETag, Vary, Cache-Control public; 304")
    void aggregated() {
        Response response = request().header("Accept", AGGREGATED_ACCEPT).get("/apis");
        response.then().statusCode(200)
                .header("Content-Type", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
                .header("Vary", "Accept").header("Cache-Control", "public")
                .header("ETag", matchesPattern("\"[0-9A-F]{128}\""))
                .body(equalTo("{\"kind\":\"APIGroupDiscoveryList\",\"apiVersion\":\"apidiscovery.k8s.io/v2\","
                        + "\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"whereabouts.cni.cncf.io\","
                        + "\"creationTimestamp\":null},\"versions\":[{\"version\":\"v1alpha1\",\"resources\":[{"
                        + "\"resource\":\"ippools\",\"responseKind\":{\"group\":\"whereabouts.cni.cncf.io\",\"version\":"
                        + "\"v1alpha1\",\"kind\":\"IPPool\"},\"scope\":\"Namespaced\",\"singularResource\":\"ippool\","
                        + "\"verbs\":" + VERBS + "}," + aggregatedResource("overlappingrangeipreservations",
                                "OverlappingRangeIPReservation", "overlappingrangeipreservation") + ","
                        + aggregatedResource("nodeslicepools", "NodeSlicePool", "nodeslicepool")
                        + "],\"freshness\":\"Current\"}]}]}\n"));
        request().header("Accept", AGGREGATED_ACCEPT).header("If-None-Match", response.header("ETag"))
                .get("/apis").then().statusCode(304).header("ETag", response.header("ETag"));
        request().header("Accept", "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList")
                .get("/apis").then().statusCode(200)
                .header("Content-Type", "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList")
                .body("apiVersion", equalTo("apidiscovery.k8s.io/v2beta1"));
    }

    @Test
    @DisplayName("/version: version.Info, indented, minor 32")
    void version() {
        String body = request().get("/version").then().statusCode(200).contentType("application/json").extract()
                .asString();
        assertThat(body).startsWith("{\n  \"major\": \"1\",\n  \"minor\": \"32\",\n  \"gitVersion\": \"v1.32.0+")
                .contains("\"platform\": \"linux/");
    }

    @Test
    @DisplayName("implicit namespaces read as active Namespaces (kubectl checks after a 404); invalid names 404")
    void namespaces() {
        request().get("/api/v1/namespaces/team-a").then().statusCode(200)
                .body("kind", equalTo("Namespace")).body("metadata.name", equalTo("team-a"))
                .body("status.phase", equalTo("Active"));
        request().get("/api/v1/namespaces/Team_A").then().statusCode(404).body(equalTo(
                dev.ippool.apiserver.support.Api.status(404, "NotFound", "namespaces \"Team_A\" not found",
                        "{\"name\":\"Team_A\",\"kind\":\"namespaces\"}")));
    }

    /** An APIResource entry, its storage version hash computed as kube does. */
    private static String resource(String plural, String singular, String kind, String hashKind) {
        String hash;
        try {
            hash = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(java.security.MessageDigest
                    .getInstance("SHA-256").digest(("whereabouts.cni.cncf.io/v1alpha1/" + hashKind).getBytes()), 8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return "{\"name\":\"" + plural + "\",\"singularName\":\"" + singular + "\",\"namespaced\":true,\"kind\":\""
                + kind + "\",\"verbs\":" + VERBS + ",\"storageVersionHash\":\"" + hash + "\"}";
    }

    private static String aggregatedResource(String plural, String kind, String singular) {
        return "{\"resource\":\"" + plural + "\",\"responseKind\":{\"group\":\"whereabouts.cni.cncf.io\",\"version\":"
                + "\"v1alpha1\",\"kind\":\"" + kind + "\"},\"scope\":\"Namespaced\",\"singularResource\":\""
                + singular + "\",\"verbs\":" + VERBS + "}";
    }
}
