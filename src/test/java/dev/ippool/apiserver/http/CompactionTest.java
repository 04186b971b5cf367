package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.ippool.apiserver.storage.etcd.EtcdStore;
import io.etcd.jetcd.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What clients see once etcd has compacted the revision a list or a continue token refers to. */
@QuarkusTest
class CompactionTest {

    private static final String CONTINUE_TOO_OLD = "The provided continue parameter is too old to display a consistent"
            + " list result. You can start a new list without the continue parameter, or use the continue token in"
            + " this response to retrieve the remainder of the results. Continuing with the provided token results in"
            + " an inconsistent list - objects that were created, modified, or deleted between the time the first"
            + " chunk was returned and now may show up in the list.";

    private static void compactToNow(String ns) {
        String endpoint = ConfigProvider.getConfig().getValue("ippool.etcd.endpoints", String.class);
        try (Client client = EtcdStore.connect(List.of(endpoint), Duration.ofSeconds(5), 1 << 20)) {
            long now = Long.parseLong(createPool(ns, "compact-marker"));
            client.getKVClient().compact(now).join();
        }
    }

    @Test
    @DisplayName("a continue token whose revision is compacted: 410 Expired with a fresh token that continues at latest")
    void continueExpired() {
        String ns = freshNamespace();
        for (String n : new String[] {"a", "b", "c"}) {
            createPool(ns, n);
        }
        JsonPath first = request().queryParam("limit", 1).get(pools(ns)).then().statusCode(200).extract().jsonPath();
        String token = first.getString("metadata.continue");
        compactToNow(ns);
        JsonPath expired = request().queryParam("limit", 1).queryParam("continue", token).get(pools(ns)).then()
                .statusCode(410).body("reason", equalTo("Expired")).body("message", equalTo(CONTINUE_TOO_OLD))
                .body("code", equalTo(410)).extract().jsonPath();
        String fresh = expired.getString("metadata.continue");
        String decoded = new String(Base64.getUrlDecoder().decode(fresh));
        assertThat(decoded).isEqualTo("{\"v\":\"meta.k8s.io/v1\",\"rv\":-1,\"start\":\"a\\u0000\"}");
        request().queryParam("limit", 5).queryParam("continue", fresh).get(pools(ns)).then().statusCode(200)
                .body("items.metadata.name", contains("b", "c", "compact-marker"));
    }

    @Test
    @DisplayName("an Exact list at a compacted revision: 410 Expired, the resourceVersion is too old")
    void exactExpired() {
        String ns = freshNamespace();
        String old = createPool(ns, "a");
        compactToNow(ns);
        request().queryParam("resourceVersion", old).queryParam("resourceVersionMatch", "Exact").get(pools(ns))
                .then().statusCode(410).body(equalTo(dev.ippool.apiserver.support.Api.status(410, "Expired",
                        "The resourceVersion for the provided list is too old.", null)));
    }
}
