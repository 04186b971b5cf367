package dev.ippool.apiserver.support;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** Small helpers for HTTP tests: paths, unique namespaces, and IPPool bodies. */
public final class Api {

    public static final String BASE = "/apis/whereabouts.cni.cncf.io/v1alpha1";

    private Api() {
    }

    /** A namespace no other test uses, so tests share one etcd without seeing each other. */
    public static String freshNamespace() {
        return "t-" + UUID.randomUUID().toString().substring(0, 13);
    }

    public static String pools(String namespace) {
        return BASE + "/namespaces/" + namespace + "/ippools";
    }

    public static String pool(String namespace, String name) {
        return pools(namespace) + "/" + name;
    }

    /** A request that, like client-go, is not pretty-printed (RestAssured's agent is not curl). */
    public static RequestSpecification request() {
        EncoderConfig encoder = EncoderConfig.encoderConfig()
                .appendDefaultContentCharsetToContentTypeIfUndefined(false);
        for (String type : new String[] {"application/yaml", "application/json-patch+json",
                "application/merge-patch+json", "application/strategic-merge-patch+json",
                "application/apply-patch+yaml", "text/plain"}) {
            encoder = encoder.encodeContentTypeAs(type, ContentType.TEXT);
        }
        return given().config(RestAssured.config().encoderConfig(encoder)).header("User-Agent", "ippool-tests/1.0");
    }

    public static String poolJson(String name, String range, String allocations) {
        return "{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{\"range\":\"" + range + "\",\"allocations\":" + allocations + "}}";
    }

    public static Response create(String namespace, String body) {
        return request().contentType("application/json").body(body).post(pools(namespace));
    }

    /** Creates a pool and returns its resourceVersion. */
    public static String createPool(String namespace, String name) {
        return create(namespace, poolJson(name, "10.0.0.0/24", "{}")).then().statusCode(201).extract()
                .path("metadata.resourceVersion");
    }

    /** The exact Status body kube-apiserver writes for an error. */
    public static String status(int code, String reason, String message, String details) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + quote(message) + (reason == null ? "" : ",\"reason\":\"" + reason + "\"")
                + (details == null ? "" : ",\"details\":" + details) + ",\"code\":" + code + "}\n";
    }

    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The value of the first Prometheus sample whose line starts with {@code series} (name and labels). */
    public static double metric(String series) {
        return metrics().lines()
                .filter(l -> l.startsWith(series)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no metric " + series));
    }

    /** The Prometheus text from the management port's /metrics. */
    public static String metrics() {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
        // the text format ends label sets with ",}"; series in tests are written without it
        return request().port(port).get("/metrics").then().statusCode(200).extract().asString().replace(",}", "}");
    }

    /** Waits up to {@code seconds} for {@code condition}, checking every 50 ms; false if it never held. */
    public static boolean eventually(long seconds, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
