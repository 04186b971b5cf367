package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.BASE;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.hamcrest.Matchers.equalTo;

import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** With etcd unreachable every verb answers 500 ServerTimeout with Retry-After within the deadline. */
@QuarkusTest
@TestProfile(EtcdDownTest.Unreachable.class)
class EtcdDownTest {

    /** Points the service at a loopback port where nothing listens. */
    public static class Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ippool.etcd.endpoints", "http://127.0.0.1:" + EtcdProcess.freePort(),
                    "ippool.etcd.request-timeout", "1s");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static String timeout(String operation) {
        return status(500, "ServerTimeout", "The " + operation + " operation against ippools.whereabouts.cni.cncf.io"
                + " could not be completed at this time, please try again.",
                "{\"name\":\"" + operation + "\",\"group\":\"whereabouts.cni.cncf.io\",\"kind\":\"ippools\","
                        + "\"retryAfterSeconds\":2}");
    }

    @Test
    @DisplayName("GET, LIST, POST, PUT, PATCH and DELETE: 500 ServerTimeout naming the operation, Retry-After: 2")
    void everyVerb() {
        request().get(pool("ns", "p")).then().statusCode(500).header("Retry-After", "2").body(equalTo(timeout("get")));
        request().get(pools("ns")).then().statusCode(500).body(equalTo(timeout("list")));
        request().get(BASE + "/ippools").then().statusCode(500).body(equalTo(timeout("list")));
        request().contentType("application/json").body(poolJson("p", "10.0.0.0/24", "{}")).post(pools("ns"))
                .then().statusCode(500).body(equalTo(timeout("create")));
        request().contentType("application/json").body(poolJson("p", "10.0.0.0/24", "{}").replace("\"name\":\"p\"",
                "\"name\":\"p\",\"resourceVersion\":\"3\"")).put(pool("ns", "p")).then().statusCode(500)
                .body(equalTo(timeout("update")));
        request().contentType("application/merge-patch+json").body("{}").patch(pool("ns", "p"))
                .then().statusCode(500).body(equalTo(timeout("get")));
        request().delete(pool("ns", "p")).then().statusCode(500).body(equalTo(timeout("delete")));
    }

    @Test
    @DisplayName("reads served by the watch cache, and watches, are 429 while it cannot initialise")
    void cacheNotReady() {
        String notReady = status(429, "TooManyRequests", "storage is (re)initializing", "{\"retryAfterSeconds\":1}");
        request().queryParam("resourceVersion", "0").get(pools("ns")).then().statusCode(429)
                .header("Retry-After", "1").body(equalTo(notReady));
        request().queryParam("resourceVersion", "0").get(pool("ns", "p")).then().statusCode(429)
                .body(equalTo(notReady));
        request().queryParam("watch", "true").queryParam("resourceVersion", "5").get(pools("ns")).then()
                .statusCode(429).header("Retry-After", "1").body(equalTo(notReady));
    }
}
