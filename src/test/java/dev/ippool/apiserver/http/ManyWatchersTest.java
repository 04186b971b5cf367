package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * 1,000 concurrent watchers on one pool: every one receives every change exactly once and in order, re-watching
 * from its last resourceVersion whenever the server closes its stream (as informers do).
 */
@QuarkusTest
class ManyWatchersTest {

    private static final int WATCHERS = 1000;
    private static final int WRITES = 20;
    private static final Pattern RV = Pattern.compile("\"resourceVersion\":\"(\\d+)\"");

    @TestHTTPResource("/")
    URL root;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger rewatches = new AtomicInteger();
    private final CountDownLatch caughtUp = new CountDownLatch(WATCHERS);

    /** One informer-like watcher: records the RV of every event and re-watches after its last one. */
    private final class Watcher {
        final String ns;
        final List<Long> seen = new CopyOnWriteArrayList<>();
        volatile long last;
        volatile boolean stopped;

        Watcher(String ns, long from) {
            this.ns = ns;
            this.last = from;
        }

        void open() {
            if (stopped) {
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "")
                    + pools(ns) + "?watch=true&resourceVersion=" + last)).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String line) {
                    Matcher m = RV.matcher(line);
                    if (line.startsWith("{\"type\":\"MODIFIED\"") && m.find()) {
                        long rv = Long.parseLong(m.group(1));
                        seen.add(rv);
                        last = rv;
                        if (seen.size() == WRITES) {
                            caughtUp.countDown();
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                    reopen();
                }

                @Override
                public void onComplete() {
                    reopen();
                }
            })).exceptionally(t -> {
                reopen();
                return null;
            });
        }

        void reopen() {
            if (!stopped) {
                rewatches.incrementAndGet();
                open();
            }
        }
    }

    @Test
    @DisplayName("1,000 watchers, 20 writes: each watcher sees all 20, in order, exactly once")
    void thousandWatchers() throws Exception {
        String ns = freshNamespace();
        long start = Long.parseLong(createPool(ns, "p"));
        List<Watcher> watchers = new ArrayList<>();
        for (int i = 0; i < WATCHERS; i++) {
            Watcher w = new Watcher(ns, start);
            watchers.add(w);
            w.open();
        }
        List<Long> written = new ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            written.add(Long.parseLong(request().contentType("application/merge-patch+json")
                    .body("{\"metadata\":{\"labels\":{\"n\":\"" + i + "\"}}}").patch(pool(ns, "p")).then()
                    .statusCode(200).extract().<String>path("metadata.resourceVersion")));
        }
        caughtUp.await(120, TimeUnit.SECONDS);
        watchers.forEach(w -> w.stopped = true);
        long complete = watchers.stream().filter(w -> w.seen.equals(written)).count();
        String evicted = dev.ippool.apiserver.support.Api.metrics().lines()
                .filter(l -> l.startsWith("ippool_watch_evicted_total")).findFirst().orElse("none");
        System.out.printf("many watchers: %d/%d complete, %d re-watches, %s%n", complete, WATCHERS,
                rewatches.get(), evicted);
        assertThat(complete).isEqualTo(WATCHERS);
    }
}
