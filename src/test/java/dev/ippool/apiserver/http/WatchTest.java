package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.BASE;
import static dev.ippool.apiserver.support.Api.create;
import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.eventually;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.metric;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.support.WatchClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WatchTest {

    @TestHTTPResource("/")
    URL root;

    private String base() {
        return root.toString().replaceAll("/$", "");
    }

    private WatchClient watch(String pathAndQuery) {
        return WatchClient.open(base(), pathAndQuery);
    }

    private static String rvOf(JsonNode event) {
        return event.path("object").path("metadata").path("resourceVersion").asText();
    }

    private static String patchLabel(String ns, String name, String value) {
        return request().contentType("application/merge-patch+json")
                .body("{\"metadata\":{\"labels\":{\"app\":" + (value == null ? "null" : "\"" + value + "\"") + "}}}")
                .patch(pool(ns, name)).then().statusCode(200).extract().path("metadata.resourceVersion");
    }

    @Test
    @DisplayName("head at once: 200, application/json, chunked; then ADDED, MODIFIED, DELETED one JSON object per line")
    void framingAndSequence() throws Exception {
        String ns = freshNamespace();
        String start = createPool(ns, "seed");
        try (WatchClient w = watch(pools(ns) + "?watch=true&resourceVersion=" + start)) {
            assertThat(w.status()).isEqualTo(200);
            assertThat(w.headers().firstValue("Content-Type")).hasValue("application/json");
            // Java's client consumes Transfer-Encoding; no Content-Length means a streamed body (chunked: see chunkedOnTheWire)
            assertThat(w.headers().firstValue("Content-Length")).isEmpty();
            String created = createPool(ns, "p");
            String modified = patchLabel(ns, "p", "x");
            request().delete(pool(ns, "p")).then().statusCode(200);
            String line = w.nextLine();
            assertThat(line).startsWith("{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\","
                    + "\"kind\":\"IPPool\",\"metadata\":{").endsWith("}}");
            List<JsonNode> rest = w.next(2);
            assertThat(rest.get(0).path("type").asText()).isEqualTo("MODIFIED");
            assertThat(rvOf(rest.get(0))).isEqualTo(modified);
            JsonNode deleted = rest.get(1);
            assertThat(deleted.path("type").asText()).isEqualTo("DELETED");
            assertThat(deleted.path("object").path("metadata").path("labels").path("app").asText()).isEqualTo("x");
            assertThat(Long.parseLong(rvOf(deleted))).isGreaterThan(Long.parseLong(modified));
            assertThat(created).isNotEqualTo(modified);
            assertThat(w.quietFor(300)).isTrue();
        }
    }

    @Test
    @DisplayName("no resourceVersion: ADDED for the current state first; RV=0 the same; RV=N only what follows N")
    void startPoints() throws Exception {
        String ns = freshNamespace();
        createPool(ns, "a");
        String b = createPool(ns, "b");
        try (WatchClient unset = watch(pools(ns) + "?watch=1");
                WatchClient zero = watch(pools(ns) + "?watch=&resourceVersion=0");
                WatchClient fromB = watch(pools(ns) + "?watch=True&resourceVersion=" + b)) {
            for (WatchClient w : List.of(unset, zero)) {
                List<JsonNode> initial = w.next(2);
                assertThat(initial).extracting(e -> e.path("type").asText()).containsExactly("ADDED", "ADDED");
                assertThat(initial).extracting(e -> e.path("object").path("metadata").path("name").asText())
                        .containsExactly("a", "b");
            }
            createPool(ns, "c");
            for (WatchClient w : List.of(unset, zero, fromB)) {
                JsonNode next = w.next();
                assertThat(next.path("object").path("metadata").path("name").asText()).isEqualTo("c");
            }
        }
    }

    @Test
    @DisplayName("deprecated /watch/ paths and a single object by fieldSelector or path")
    void watchPathsAndSingleObject() throws Exception {
        String ns = freshNamespace();
        String rv = createPool(ns, "one");
        try (WatchClient all = watch(BASE + "/watch/ippools?resourceVersion=" + rv);
                WatchClient byPath = watch(BASE + "/watch/namespaces/" + ns + "/ippools/two?resourceVersion=" + rv);
                WatchClient byField = watch(pools(ns) + "?watch=true&fieldSelector=metadata.name%3Dtwo&resourceVersion=" + rv)) {
            createPool(ns, "other");
            createPool(ns, "two");
            assertThat(byPath.next().path("object").path("metadata").path("name").asText()).isEqualTo("two");
            assertThat(byField.next().path("object").path("metadata").path("name").asText()).isEqualTo("two");
            JsonNode first = all.next();
            while (!first.path("object").path("metadata").path("namespace").asText().equals(ns)) {
                first = all.next();
            }
            assertThat(first.path("object").path("metadata").path("name").asText()).isEqualTo("other");
        }
    }

    @Test
    @DisplayName("label selector transitions: starts matching ADDED, keeps matching MODIFIED, stops matching DELETED")
    void selectorTransitions() throws Exception {
        String ns = freshNamespace();
        String rv = createPool(ns, "p");
        try (WatchClient w = watch(pools(ns) + "?watch=true&labelSelector=app%3Dx&resourceVersion=" + rv)) {
            patchLabel(ns, "p", "x");
            patchLabel(ns, "p", "x").length();
            request().contentType("application/merge-patch+json").body("{\"spec\":{\"range\":\"10.3.0.0/24\"}}")
                    .patch(pool(ns, "p")).then().statusCode(200);
            String gone = patchLabel(ns, "p", "y");
            List<JsonNode> events = w.next(3);
            assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("ADDED", "MODIFIED", "DELETED");
            JsonNode deleted = events.get(2);
            assertThat(rvOf(deleted)).isEqualTo(gone);
            assertThat(deleted.path("object").path("metadata").path("labels").path("app").asText()).isEqualTo("x");
            patchLabel(ns, "p", "z");
            assertThat(w.quietFor(300)).isTrue();
        }
    }

    @Test
    @DisplayName("sendInitialEvents: ADDEDs then a BOOKMARK annotated k8s.io/initial-events-end (+ 1.32's list"
            + " blueprint) at the snapshot RV; 1.32 defaults a watch from no or 0 RV to the same")
    void sendInitialEvents() throws Exception {
        String ns = freshNamespace();
        createPool(ns, "a");
        // base64 of {"apiVersion":"whereabouts.cni.cncf.io/v1alpha1","items":[],"kind":"IPPoolList"}\n
        String blueprint = java.util.Base64.getEncoder().encodeToString(("{\"apiVersion\":\"whereabouts.cni.cncf.io/"
                + "v1alpha1\",\"items\":[],\"kind\":\"IPPoolList\"}\n").getBytes());
        for (String query : List.of("sendInitialEvents=true&resourceVersionMatch=NotOlderThan", "resourceVersion=0",
                "resourceVersion=")) {
            try (WatchClient w = watch(pools(ns) + "?watch=true&allowWatchBookmarks=true&" + query)) {
                JsonNode added = w.next();
                assertThat(added.path("type").asText()).isEqualTo("ADDED");
                String bookmark = w.nextLine();
                assertThat(bookmark).as(query).matches("\\{\"type\":\"BOOKMARK\",\"object\":\\{\"apiVersion\":"
                        + "\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\",\"metadata\":\\{\"annotations\":"
                        + "\\{\"k8s.io/initial-events-end\":\"true\",\"kubernetes.io/initial-events-list-blueprint\":\""
                        + blueprint + "\"\\},\"resourceVersion\":\"(\\d+)\"\\}\\}\\}");
                assertThat(Long.parseLong(bookmark.replaceAll(".*\"resourceVersion\":\"(\\d+)\".*", "$1")))
                        .isGreaterThanOrEqualTo(Long.parseLong(rvOf(added)));
            }
        }
        // without bookmarks allowed, no bookmark: the next line is the next change
        try (WatchClient w = watch(pools(ns) + "?watch=true")) {
            assertThat(w.next().path("type").asText()).isEqualTo("ADDED");
            createPool(ns, "b");
            assertThat(w.next().path("type").asText()).isEqualTo("ADDED");
        }
    }

    @Test
    @DisplayName("watch option rules are 422 before streaming")
    void watchOptionValidation() {
        request().queryParam("watch", "true").queryParam("sendInitialEvents", "true").get(pools(freshNamespace()))
                .then().statusCode(422).body("message", equalTo("ListOptions.meta.k8s.io \"\" is invalid:"
                        + " resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch"
                        + " to NotOlderThan"));
        request().queryParam("watch", "true").queryParam("resourceVersionMatch", "NotOlderThan")
                .queryParam("resourceVersion", "1").get(pools(freshNamespace())).then().statusCode(422)
                .body("message", equalTo("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden:"
                        + " resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
    }

    @Test
    @DisplayName("too old a resourceVersion: 200, one ERROR 410 Expired event, then the stream ends")
    void tooOld() throws Exception {
        String ns = freshNamespace();
        String old = createPool(ns, "p");
        for (int i = 0; i < 70; i++) { // roll the test cache's 64-change ring past `old`
            patchLabel(ns, "p", "v" + i);
        }
        try (WatchClient w = watch(pools(ns) + "?watch=true&resourceVersion=" + old)) {
            assertThat(w.status()).isEqualTo(200);
            String line = w.nextLine();
            assertThat(line).matches("\\{\"type\":\"ERROR\",\"object\":\\{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"metadata\":\\{\\},\"status\":\"Failure\",\"message\":\"too old resource version: " + old
                    + " \\(\\d+\\)\",\"reason\":\"Expired\",\"code\":410\\}\\}");
            assertThat(w.endsWithin(5)).isTrue();
        }
    }

    @Test
    @DisplayName("an RV ahead: a plain watch is accepted and waits; with sendInitialEvents, ERROR 504 after 3 s")
    void aheadOfTheCache() throws Exception {
        String ns = freshNamespace();
        try (WatchClient plain = watch(pools(ns) + "?watch=true&resourceVersion=900000000")) {
            assertThat(plain.status()).isEqualTo(200);
            assertThat(plain.quietFor(500)).isTrue();
        }
        try (WatchClient initial = watch(pools(ns) + "?watch=true&resourceVersion=900000000&sendInitialEvents=true"
                + "&resourceVersionMatch=NotOlderThan")) {
            assertThat(initial.status()).isEqualTo(200);
            JsonNode error = initial.next();
            assertThat(error.path("type").asText()).isEqualTo("ERROR");
            assertThat(error.path("object").path("code").asInt()).isEqualTo(504);
            assertThat(error.path("object").path("reason").asText()).isEqualTo("Timeout");
            assertThat(error.path("object").path("details").path("causes").get(0).path("reason").asText())
                    .isEqualTo("ResourceVersionTooLarge");
            assertThat(initial.endsWithin(5)).isTrue();
        }
    }

    @Test
    @DisplayName("timeoutSeconds ends the stream; bookmarks come shortly before the deadline")
    void timeoutAndBookmark() throws Exception {
        String ns = freshNamespace();
        String rv = createPool(ns, "p");
        try (WatchClient w = watch(pools(ns) + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion=" + rv)) {
            JsonNode bookmark = w.next();
            assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
            assertThat(bookmark.path("object").path("kind").asText()).isEqualTo("IPPool");
            assertThat(Long.parseLong(rvOf(bookmark))).isGreaterThanOrEqualTo(Long.parseLong(rv));
            assertThat(w.endsWithin(5)).isTrue();
        }
    }

    @Test
    @DisplayName("on the wire: 200 chunked, each event in its own chunk ending in a newline")
    void chunkedOnTheWire() throws Exception {
        String ns = freshNamespace();
        createPool(ns, "p");
        try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + pools(ns) + "?watch=true HTTP/1.1\r\nHost: localhost\r\n"
                    + "\r\n").getBytes());
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream()));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String header;
            boolean chunked = false;
            while (!(header = in.readLine()).isEmpty()) {
                chunked |= header.equalsIgnoreCase("transfer-encoding: chunked");
            }
            assertThat(chunked).isTrue();
            in.readLine(); // chunk size
            assertThat(in.readLine()).startsWith("{\"type\":\"ADDED\"");
        }
    }

    @Test
    @DisplayName("compacting etcd does not disturb open watches: they keep streaming")
    void compactionUnderOpenWatches() throws Exception {
        String ns = freshNamespace();
        String rv = createPool(ns, "p");
        try (WatchClient w = watch(pools(ns) + "?watch=true&resourceVersion=" + rv)) {
            String endpoint = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getValue("ippool.etcd.endpoints", String.class);
            try (io.etcd.jetcd.Client client = dev.ippool.apiserver.storage.etcd.EtcdStore.connect(
                    List.of(endpoint), java.time.Duration.ofSeconds(5), 1 << 20)) {
                String now = patchLabel(ns, "p", "before");
                client.getKVClient().compact(Long.parseLong(now)).join();
            }
            assertThat(w.next().path("type").asText()).isEqualTo("MODIFIED");
            String after = patchLabel(ns, "p", "after");
            assertThat(rvOf(w.next())).isEqualTo(after);
        }
    }

    @Test
    @DisplayName("a client that disconnects releases its cache subscription (apiserver_registered_watchers)")
    void disconnectReleases() throws Exception {
        String series = "apiserver_registered_watchers{group=\"whereabouts.cni.cncf.io\",kind=\"IPPool\","
                + "version=\"v1alpha1\"}";
        String ns = freshNamespace();
        createPool(ns, "p");
        double before = metric(series);
        List<WatchClient> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(watch(pools(ns) + "?watch=true"));
            assertThat(clients.get(i).next().path("type").asText()).isEqualTo("ADDED");
        }
        assertThat(metric(series)).isGreaterThanOrEqualTo(before + 5);
        clients.forEach(WatchClient::close);
        assertThat(eventually(10, () -> metric(series) <= before)).as("subscriptions released").isTrue();
    }
}
