package dev.ippool.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The load generator's side of the API: requests with the bench token, and the pool bodies it writes. */
final class Http {

    static final String GROUP = "/apis/whereabouts.cni.cncf.io/v1alpha1";
    /** Where the service (with its default key prefix, as kube-apiserver's) stores pools in etcd. */
    private static final String STORED = "/registry/whereabouts.cni.cncf.io/ippools/";
    private static final String RV_FIELD = "\"resourceVersion\":\"";

    private final String root;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    Http(String root, String token) {
        this.root = root.replaceAll("/$", "");
        this.token = token;
    }

    HttpClient client() {
        return client;
    }

    /** The path of a namespace's pools (with a trailing slash). */
    /** The etcd key of pool {@code name} in {@code namespace}, or with an empty name the namespace's prefix. */
    static String storageKey(String namespace, String name) {
        return STORED + namespace + "/" + name;
    }

    static String pools(String namespace) {
        return GROUP + "/namespaces/" + namespace + "/ippools/";
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(root + path)).header("User-Agent",
                "ippool-bench/1.0");
        return token == null ? r : r.header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder r = request(path).timeout(Duration.ofSeconds(60)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            r.header("Content-Type", type);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends and fails loudly unless the answer is 2xx: for set-up steps, whose failure voids the scenario. */
    String must(String method, String path, String type, String body) throws Exception {
        HttpResponse<String> r = send(method, path, type, body);
        if (!ok(r)) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": "
                    + r.body().substring(0, Math.min(300, r.body().length())));
        }
        return r.body();
    }

    static boolean ok(HttpResponse<String> r) {
        return r.statusCode() < 300;
    }

    /** The first resourceVersion in a body (the object's own), or -1. */
    static long resourceVersion(String body) {
        // a plain scan: B7 reads it from a 38 KB pool 16 times per success, past ~10 KB of managedFields
        int at = body.indexOf(RV_FIELD);
        if (at < 0) {
            return -1;
        }
        int start = at + RV_FIELD.length();
        int end = body.indexOf('"', start);
        try {
            return end < 0 ? -1 : Long.parseLong(body, start, end, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A pool with {@code allocations} entries, each as the CNI writes them (~110 bytes of JSON). */
    static String pool(String name, int allocations) {
        StringBuilder a = new StringBuilder(allocations * 110 + 200).append('{');
        for (int i = 1; i <= allocations; i++) {
            a.append(i > 1 ? "," : "").append('"').append(i).append("\":{\"id\":\"container-").append(i)
                    .append("-0123456789abcdef0123456789abcdef\",\"podref\":\"bench/pod-").append(i)
                    .append("\",\"ifname\":\"net1\"}");
        }
        return "{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{\"range\":\"10.0.0.0/8\",\"allocations\":" + a + "}}}";
    }
}
