package dev.ippool.apiserver.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippool.apiserver.support.Scratch;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Whereabouts CNI's exact request sequences (whereabouts-clients.md §2.1, §2.3), as the kube-system/whereabouts
 * service account under the shipped RBAC policy (k8s/base/rbac-policy.yaml): 64 concurrent pods ADD over 4 pools
 * (LIST, GET pool / POST on 404, GET reservation expecting 404, JSON patch [test RV, test null, add] retried at once
 * on 422, POST reservation), one reconciler pass over planted orphans, then every pod DELs.
 */
@QuarkusTest
@TestProfile(WhereaboutsReplayTest.AsWhereabouts.class)
class WhereaboutsReplayTest {

    private static final String NS = "kube-system";
    private static final String TOKEN = "whereabouts-sa-token";
    private static final String[] RANGES = {"10.40.0.0/26", "10.40.0.64/26", "10.40.0.128/26", "10.40.0.192/26"};
    private static final int PODS = 64;

    /** A token for the CNI's service account; the RBAC policy shipped in k8s/base. */
    public static class AsWhereabouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path tokens = Scratch.file("tokens", ".csv");
                Files.writeString(tokens, TOKEN + ",system:serviceaccount:kube-system:whereabouts,sa-uid,"
                        + "\"system:serviceaccounts,system:serviceaccounts:kube-system\"\n");
                return Map.of("ippool.auth.allow-anonymous", "false", "ippool.auth.token-file", tokens.toString(),
                        "ippool.auth.rbac-file", Path.of("k8s/base/rbac-policy.yaml").toAbsolutePath().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource("/")
    URL root;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String BASE = "/apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/" + NS + "/";

    private static String poolName(String range) {
        return range.replace("/", "-").replace(":", "-");
    }

    private static String ip(String range, int offset) throws Exception {
        byte[] base = InetAddress.getByName(range.substring(0, range.indexOf('/'))).getAddress();
        int v = ((base[0] & 0xff) << 24 | (base[1] & 0xff) << 16 | (base[2] & 0xff) << 8 | (base[3] & 0xff)) + offset;
        return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    @Test
    @DisplayName("64 pods ADD over 4 pools, a reconciler pass, then DEL: distinct IPs, reservations 1:1, nothing left")
    void replay() throws Exception {
        ExecutorService pods = Executors.newFixedThreadPool(PODS);
        Map<String, String> ipOfPod = new HashMap<>();
        try {
            List<Future<String>> adds = new ArrayList<>();
            for (int p = 0; p < PODS; p++) {
                String pod = "pod-" + p;
                String range = RANGES[p % RANGES.length];
                adds.add(pods.submit(() -> add(range, pod)));
            }
            for (int p = 0; p < PODS; p++) {
                ipOfPod.put("default/pod-" + p, adds.get(p).get());
            }
        } finally {
            pods.shutdown();
        }
        assertThat(new HashSet<>(ipOfPod.values())).as("every pod a distinct IP").hasSize(PODS);
        assertThat(reservations()).isEqualTo(allocations());

        // the reconciler: orphans are allocations (and reservations) of pods that no longer exist
        plantOrphan(RANGES[0], "default/gone-1");
        plantOrphan(RANGES[2], "default/gone-2");
        reconcile(ipOfPod.keySet());
        assertThat(reservations()).isEqualTo(allocations());
        assertThat(allocations().values()).containsExactlyInAnyOrderElementsOf(ipOfPod.keySet());

        ExecutorService dels = Executors.newFixedThreadPool(PODS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < PODS; p++) {
                String pod = "pod-" + p;
                String range = RANGES[p % RANGES.length];
                futures.add(dels.submit(() -> {
                    del(range, pod);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            dels.shutdown();
        }
        assertThat(allocations()).isEmpty();
        assertThat(reservations()).isEmpty();
    }

    /** ipam.go IPManagementKubernetesUpdate for ADD; returns the IP. */
    private String add(String range, String pod) throws Exception {
        String pool = poolName(range);
        Set<String> reservedElsewhere = new HashSet<>();
        for (int attempt = 0; attempt < 1000; attempt++) {
            assertThat(send("GET", BASE + "ippools", null, null).statusCode()).isEqualTo(200);
            HttpResponse<String> got = send("GET", BASE + "ippools/" + pool, null, null);
            if (got.statusCode() == 404) {
                int created = send("POST", BASE + "ippools", "application/json", "{\"apiVersion\":"
                        + "\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\",\"metadata\":{\"name\":\"" + pool
                        + "\"},\"spec\":{\"range\":\"" + range + "\",\"allocations\":{}}}").statusCode();
                assertThat(created).isIn(201, 409);
                continue;
            }
            JsonNode object = json.readTree(got.body());
            String rv = object.path("metadata").path("resourceVersion").asText();
            JsonNode allocations = object.path("spec").path("allocations");
            int offset = 1;
            while (allocations.has(Integer.toString(offset)) || reservedElsewhere.contains(ip(range, offset))) {
                offset++;
            }
            String ip = ip(range, offset);
            HttpResponse<String> reservation = send("GET", BASE + "overlappingrangeipreservations/" + ip, null, null);
            if (reservation.statusCode() == 200) {
                reservedElsewhere.add(ip);
                continue;
            }
            assertThat(reservation.statusCode()).isEqualTo(404);
            String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + rv + "\"},"
                    + "{\"op\":\"test\",\"path\":\"/spec/allocations/" + offset + "\",\"value\":null},"
                    + "{\"op\":\"add\",\"path\":\"/spec/allocations/" + offset + "\",\"value\":{\"id\":\"c-" + pod
                    + "\",\"podref\":\"default/" + pod + "\",\"ifname\":\"net1\"}}]";
            HttpResponse<String> patched = send("PATCH", BASE + "ippools/" + pool, "application/json-patch+json",
                    patch);
            if (patched.statusCode() == 422) {
                continue;
            }
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            HttpResponse<String> reserved = send("POST", BASE + "overlappingrangeipreservations", "application/json",
                    "{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"OverlappingRangeIPReservation\","
                            + "\"metadata\":{\"name\":\"" + ip + "\"},\"spec\":{\"podref\":\"default/" + pod
                            + "\",\"ifname\":\"net1\"}}");
            assertThat(reserved.statusCode()).as(reserved.body()).isEqualTo(201);
            return ip;
        }
        throw new AssertionError("ADD never completed for " + pod);
    }

    /** DEL: the same path with remove, then DELETE the reservation. */
    private void del(String range, String pod) throws Exception {
        String pool = poolName(range);
        for (int attempt = 0; attempt < 1000; attempt++) {
            assertThat(send("GET", BASE + "ippools", null, null).statusCode()).isEqualTo(200);
            JsonNode object = json.readTree(send("GET", BASE + "ippools/" + pool, null, null).body());
            String rv = object.path("metadata").path("resourceVersion").asText();
            String key = null;
            for (var it = object.path("spec").path("allocations").fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue().path("podref").asText().equals("default/" + pod)) {
                    key = e.getKey();
                }
            }
            if (key == null) {
                return;
            }
            HttpResponse<String> patched = send("PATCH", BASE + "ippools/" + pool, "application/json-patch+json",
                    "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + rv + "\"},"
                            + "{\"op\":\"remove\",\"path\":\"/spec/allocations/" + key + "\"}]");
            if (patched.statusCode() == 422) {
                continue;
            }
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            int deleted = send("DELETE", BASE + "overlappingrangeipreservations/" + ip(range, Integer.parseInt(key)),
                    null, null).statusCode();
            assertThat(deleted).isIn(200, 404);
            return;
        }
        throw new AssertionError("DEL never completed for " + pod);
    }

    /** An allocation and reservation left by a pod that is gone (as after a missed DEL). */
    private void plantOrphan(String range, String podref) throws Exception {
        String pool = poolName(range);
        JsonNode object = json.readTree(send("GET", BASE + "ippools/" + pool, null, null).body());
        int offset = 60;
        assertThat(send("PATCH", BASE + "ippools/" + pool, "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/spec/allocations/" + offset + "\",\"value\":{\"id\":\"x\",\"podref\":\""
                        + podref + "\"}}]").statusCode()).isEqualTo(200);
        assertThat(object.path("spec").path("range").asText()).isEqualTo(range);
        assertThat(send("POST", BASE + "overlappingrangeipreservations", "application/json", "{\"metadata\":{\"name\":"
                + "\"" + ip(range, offset) + "\"},\"spec\":{\"podref\":\"" + podref + "\"}}").statusCode()).isEqualTo(201);
    }

    /** iploop.go: LIST pools and reservations (all namespaces), one multi-remove PATCH per pool, DELETE orphans. */
    private void reconcile(Set<String> livePods) throws Exception {
        JsonNode pools = json.readTree(send("GET", "/apis/whereabouts.cni.cncf.io/v1alpha1/ippools", null, null).body());
        JsonNode reservations = json.readTree(send("GET",
                "/apis/whereabouts.cni.cncf.io/v1alpha1/overlappingrangeipreservations", null, null).body());
        for (JsonNode pool : pools.path("items")) {
            List<String> removes = new ArrayList<>();
            pool.path("spec").path("allocations").fields().forEachRemaining(e -> {
                if (!livePods.contains(e.getValue().path("podref").asText())) {
                    removes.add("{\"op\":\"remove\",\"path\":\"/spec/allocations/" + e.getKey() + "\"}");
                }
            });
            if (!removes.isEmpty()) {
                String rv = pool.path("metadata").path("resourceVersion").asText();
                assertThat(send("PATCH", BASE + "ippools/" + pool.path("metadata").path("name").asText(),
                        "application/json-patch+json", "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\","
                                + "\"value\":\"" + rv + "\"}," + String.join(",", removes) + "]").statusCode())
                        .isEqualTo(200);
            }
        }
        for (JsonNode r : reservations.path("items")) {
            if (!livePods.contains(r.path("spec").path("podref").asText())) {
                assertThat(send("DELETE", BASE + "overlappingrangeipreservations/"
                        + r.path("metadata").path("name").asText(), null, null).statusCode()).isEqualTo(200);
            }
        }
    }

    /** IP → podref of every allocation of every pool. */
    private Map<String, String> allocations() throws Exception {
        Map<String, String> out = new HashMap<>();
        for (JsonNode pool : json.readTree(send("GET", BASE + "ippools", null, null).body()).path("items")) {
            String range = pool.path("spec").path("range").asText();
            for (var it = pool.path("spec").path("allocations").fields(); it.hasNext(); ) {
                var e = it.next();
                out.put(ip(range, Integer.parseInt(e.getKey())), e.getValue().path("podref").asText());
            }
        }
        return out;
    }

    /** IP → podref of every reservation. */
    private Map<String, String> reservations() throws Exception {
        Map<String, String> out = new HashMap<>();
        for (JsonNode r : json.readTree(send("GET", BASE + "overlappingrangeipreservations", null, null).body())
                .path("items")) {
            out.put(r.path("metadata").path("name").asText(), r.path("spec").path("podref").asText());
        }
        return out;
    }

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN)
                .header("User-Agent", "whereabouts/v0.9.0")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            r.header("Content-Type", type);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
