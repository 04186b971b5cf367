package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.metrics;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Many writes of one pool at once: they take turns in the server rather than racing each other in etcd. */
@QuarkusTest
class HotKeyTest {

    private static final int WRITES = 48;
    private static final String UPDATES =
            "etcd_request_duration_seconds_count{operation=\"update\",type=\"ippools.whereabouts.cni.cncf.io\"}";

    /** etcd updates of pools so far (none before the first). */
    private static double updates() {
        return metrics().lines().filter(l -> l.startsWith(UPDATES)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    @Test
    @DisplayName("48 concurrent merge patches of one pool all land (200, 48 resourceVersions, every label kept) "
            + "with one etcd write each: none loses a race to another of this server's writes")
    void concurrentPatchesTakeTurns() throws Exception {
        String ns = freshNamespace();
        createPool(ns, "hot");
        double updatesBefore = updates();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < WRITES; i++) {
                String label = "{\"metadata\":{\"labels\":{\"w" + i + "\":\"x\"}}}";
                answers.add(clients.submit(() -> request().contentType("application/merge-patch+json").body(label)
                        .patch(pool(ns, "hot")).then().statusCode(200).extract()
                        .<String>path("metadata.resourceVersion")));
            }
            List<String> versions = new ArrayList<>();
            for (Future<String> answer : answers) {
                versions.add(answer.get());
            }
            assertThat(versions).doesNotHaveDuplicates().hasSize(WRITES);
        } finally {
            clients.shutdownNow();
        }
        Map<String, String> labels = request().get(pool(ns, "hot")).then().statusCode(200).extract()
                .path("metadata.labels");
        assertThat(labels).hasSize(WRITES);
        assertThat(updates() - updatesBefore).as("etcd updates").isEqualTo(WRITES);
    }
}
