package dev.ippool.apiserver.security;

import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.poolJson;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static dev.ippool.apiserver.support.Api.status;
import static org.hamcrest.Matchers.equalTo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippool.apiserver.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The max-in-flight filter (429 as kube writes it) and the request timeout (504 Timeout). */
@QuarkusTest
@TestProfile(LimitsTest.Tight.class)
class LimitsTest {

    /** No mutating request may run; reads time out after half a second. */
    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ippool.limits.max-mutating-in-flight", "0", "ippool.limits.read-timeout", "500ms",
                    "quarkus.log.category.\"dev.ippool.apiserver.http.LateResponses\".level", "DEBUG");
        }
    }

    @Test
    @DisplayName("over the mutating limit: 429, plain text, Retry-After: 1; reads and watches are counted apart")
    void tooManyRequests() {
        String ns = freshNamespace();
        request().contentType("application/json").body(poolJson("p", "10.0.0.0/24", "{}")).post(pools(ns))
                .then().statusCode(429).header("Retry-After", "1")
                .contentType("text/plain; charset=utf-8")
                .body(equalTo("Too many requests, please try again later.\n"));
        request().get(pools(ns)).then().statusCode(200);
        request().get(pools(ns) + "?watch=true&timeoutSeconds=1").then().statusCode(200);
    }

    @Test
    @DisplayName("a read still running at the timeout: 504 Timeout; the server keeps serving")
    void timeout() throws Exception {
        String ns = freshNamespace();
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            // a list that must wait for a far-future revision (kube's cacher answers its own 504 after 3 s)
            request().get(pools(ns) + "?resourceVersion=99999999&resourceVersionMatch=NotOlderThan").then()
                    .statusCode(504).body(equalTo(status(504, "Timeout",
                            "Timeout: request did not complete within the allotted timeout", "{}")));
            request().get(pools(ns)).then().statusCode(200);

            // the handler's own answer, 3 s later, is dropped quietly: no second write, no error logged
            assertThat(Api.eventually(10, () -> logged.stream().anyMatch(r -> r.getMessage() != null
                    && r.getMessage().startsWith("late answer dropped")))).as("the late answer was dropped").isTrue();
            assertThat(logged).filteredOn(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())
                    .extracting(LogRecord::getMessage).isEmpty();
        } finally {
            root.removeHandler(capture);
        }
    }
}
