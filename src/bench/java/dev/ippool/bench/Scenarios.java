package dev.ippool.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scenarios, each measured against the raw-etcd baseline taken in the same run on the same etcd. Any 429 or
 * 5xx is a failure, counted in the result.
 */
final class Scenarios {

    private static final Pattern RV = Pattern.compile("\"resourceVersion\":\"(\\d+)\"");

    private final Client etcd;
    private final String base;
    private final String token;
    private final long warmup;
    private final long measure;
    private final Results results;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong seq = new AtomicLong();

    private final int maxConcurrency;

    /** @param maxConcurrency caps every scenario's in-flight count (the smoke test stays under a test server's limits) */
    Scenarios(String etcdEndpoint, String serviceUrl, String token, long warmupMillis, long measureMillis,
            Results results, int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
        this.etcd = Client.builder().endpoints(etcdEndpoint).build();
        this.base = serviceUrl.replaceAll("/$", "") + "/apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/bench/";
        this.token = token;
        this.warmup = warmupMillis;
        this.measure = measureMillis;
        this.results = results;
    }

    private int c(int concurrency) {
        return Math.min(concurrency, maxConcurrency);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String pool(String name, int allocations) {
        StringBuilder a = new StringBuilder("{");
        for (int i = 1; i <= allocations; i++) {
            a.append(i > 1 ? "," : "").append("\"").append(i).append("\":{\"id\":\"container-").append(i)
                    .append("-0123456789abcdef0123456789abcdef\",\"podref\":\"bench/pod-").append(i)
                    .append("\",\"ifname\":\"net1\"}");
        }
        return "{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{\"range\":\"10.0.0.0/16\",\"allocations\":" + a + "}}}";
    }

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("User-Agent", "ippool-bench/1.0")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            r.header("Content-Type", type);
        }
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean ok(HttpResponse<String> r) {
        return r.statusCode() < 300;
    }

    void run() throws Exception {
        KV kv = etcd.getKVClient();
        // B0: raw etcd, the yardsticks
        Load.Outcome txn = Load.run(c(256), warmup, measure, w -> {
            ByteSequence key = bytes("/bench-raw/txn/" + seq.incrementAndGet());
            return kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(key, bytes(pool("raw", 1)), PutOption.DEFAULT)).commit().get().isSucceeded();
        });
        results.add("B0-raw-txn-256", txn.perSecond(), "ops/s", 0, "recorded", txn);
        Load.Outcome txn1 = Load.run(c(1), warmup, measure, w -> {
            ByteSequence key = bytes("/bench-raw/txn1/" + seq.incrementAndGet());
            return kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(key, bytes(pool("raw", 1)), PutOption.DEFAULT)).commit().get().isSucceeded();
        });
        results.add("B0-raw-txn-serial-p50", txn1.p50Millis(), "ms", 0, "recorded", txn1);
        kv.put(bytes("/bench-raw/get"), bytes(pool("raw", 1))).get();
        kv.put(bytes("/bench-raw/get38"), bytes(pool("raw", 256))).get();
        Load.Outcome get = Load.run(c(64), warmup, measure, w -> kv.get(bytes("/bench-raw/get"),
                GetOption.builder().withSerializable(true).build()).get().getCount() == 1);
        results.add("B0-raw-get-serializable-64", get.perSecond(), "ops/s", 0, "recorded", get);
        Load.Outcome lget = Load.run(c(64), warmup, measure, w -> kv.get(bytes("/bench-raw/get")).get().getCount() == 1);
        results.add("B0-raw-get-linearizable-64", lget.perSecond(), "ops/s", 0, "recorded", lget);
        Load.Outcome get38 = Load.run(c(64), warmup, measure, w -> kv.get(bytes("/bench-raw/get38"),
                GetOption.builder().withSerializable(true).build()).get().getCount() == 1);
        results.add("B0-raw-get-38k-64", get38.perSecond(), "ops/s", 0, "recorded", get38);

        // B1: POST small pools, 256 in flight
        Load.Outcome post = Load.run(c(256), warmup, measure, w -> ok(send("POST", "ippools", "application/json",
                pool("b1-" + seq.incrementAndGet(), 1))));
        results.add("B1-post-256", post.perSecond(), "ops/s", txn.perSecond(), ">= 0.6 x R_txn", post,
                post.perSecond() >= 0.6 * txn.perSecond());

        // B2: serial create, then serial update of one pool
        Load.Outcome create = Load.run(c(1), warmup, measure, w -> ok(send("POST", "ippools", "application/json",
                pool("b2-" + seq.incrementAndGet(), 1))));
        results.add("B2-create-serial-p50", create.p50Millis(), "ms", txn1.p50Millis(), "<= R_txn1 p50 + 0.3 ms",
                create, create.p50Millis() <= txn1.p50Millis() + 0.3);
        send("POST", "ippools", "application/json", pool("b2-update", 1));
        Load.Outcome update = Load.run(c(1), warmup, measure, w -> ok(send("PATCH", "ippools/b2-update",
                "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"n\":\"" + seq.incrementAndGet()
                        + "\"}}}")));
        results.add("B2-update-serial-p99", update.p99Millis(), "ms", 0, "<= 5 ms", update,
                update.p99Millis() <= 5);

        // B3: GET one pool, 64 connections: cache (RV=0) small and 256 allocations; consistent (no RV)
        send("POST", "ippools", "application/json", pool("b3-small", 1));
        send("POST", "ippools", "application/json", pool("b3-256", 256));
        Load.Outcome cacheSmall = Load.run(c(64), warmup, measure, w -> ok(send("GET",
                "ippools/b3-small?resourceVersion=0", null, null)));
        results.add("B3-get-cache-small", cacheSmall.perSecond(), "ops/s", get.perSecond(),
                ">= 20k/s and >= 1.5 x R_get", cacheSmall,
                cacheSmall.perSecond() >= 20000 && cacheSmall.perSecond() >= 1.5 * get.perSecond());
        Load.Outcome cache256 = Load.run(c(64), warmup, measure, w -> ok(send("GET",
                "ippools/b3-256?resourceVersion=0", null, null)));
        results.add("B3-get-cache-256", cache256.perSecond(), "ops/s", get38.perSecond(), ">= 1.5 x R_get38",
                cache256, cache256.perSecond() >= 1.5 * get38.perSecond());
        Load.Outcome consistent = Load.run(c(64), warmup, measure, w -> ok(send("GET", "ippools/b3-small", null,
                null)));
        results.add("B3-get-consistent", consistent.perSecond(), "ops/s", lget.perSecond(), ">= 0.8 x R_lget",
                consistent, consistent.perSecond() >= 0.8 * lget.perSecond());

        // B7: Whereabouts allocation by 1 and 8 allocators on one pool (allocate, then release)
        send("POST", "ippools", "application/json", pool("b7", 0));
        Load.Outcome one = Load.run(c(1), warmup, measure, w -> allocateAndRelease(w));
        results.add("B7-allocate-1", one.perSecond(), "patches/s", 1000 / txn1.p50Millis(),
                ">= 0.5 / R_txn1 p50", one, one.perSecond() >= 0.5 * 1000 / txn1.p50Millis());
        Load.Outcome eight = Load.run(c(8), warmup, measure, w -> allocateAndRelease(w));
        results.add("B7-allocate-8", eight.perSecond(), "patches/s", one.perSecond(), ">= 0.5 x 1 allocator",
                eight, eight.perSecond() >= 0.5 * one.perSecond());
        etcd.close();
    }

    /** The CNI's allocation: GET, patch [test RV, test null, add] retried on 422, then the same to release. */
    private boolean allocateAndRelease(int worker) throws Exception {
        String key = Integer.toString(1000 + worker);
        for (String op : new String[] {"add", "remove"}) {
            for (int attempt = 0; ; attempt++) {
                HttpResponse<String> got = send("GET", "ippools/b7", null, null);
                Matcher m = RV.matcher(got.body());
                if (!ok(got) || !m.find()) {
                    return false;
                }
                String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + m.group(1)
                        + "\"}," + (op.equals("add") ? "{\"op\":\"test\",\"path\":\"/spec/allocations/" + key
                        + "\",\"value\":null},{\"op\":\"add\",\"path\":\"/spec/allocations/" + key + "\",\"value\":"
                        + "{\"id\":\"c\",\"podref\":\"bench/p\"}}]" : "{\"op\":\"remove\",\"path\":\"/spec/allocations/"
                        + key + "\"}]");
                HttpResponse<String> r = send("PATCH", "ippools/b7", "application/json-patch+json", patch);
                if (ok(r)) {
                    break;
                }
                if (r.statusCode() != 422 || attempt > 1000) {
                    return false;
                }
            }
        }
        return true;
    }
}
