package dev.ippool.bench;

import static dev.ippool.bench.RawEtcd.bytes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** B0 (raw etcd, the yardsticks), B1 (POST throughput), B2 (serial write latency), B3 (GET one pool). */
final class CoreScenarios {

    private static final String NS = Http.pools("bench");
    /** Where B0's stored-watched txns write. */
    private static final String STORED_PREFIX = "/bench-raw/stored/";
    /** Where B1's R_txn, taken alongside its POSTs, writes. */
    private static final String B1_TXN_PREFIX = "/bench-raw/b1-txn/";
    /** Where B2's R_txn1, taken alongside its creates, writes. */
    private static final String B2_TXN1_PREFIX = "/bench-raw/b2-txn1/";

    private final Bed bed;
    private final AtomicLong seq = new AtomicLong();
    /** {@link #storedWatched}'s outcomes: B1's rate and B2's create latency are recorded against them too. */
    private StoredWatched storedWatched;

    /** B0's txn with the service's stored form, watched: 256 in flight, and one at a time. */
    private record StoredWatched(Load.Outcome concurrent, Load.Outcome serial) {
    }

    CoreScenarios(Bed bed) {
        this.bed = bed;
    }

    /**
     * B0's compare-create txn with what the service writes for B1's POST: its stored form of the pool (with
     * managedFields, about 2.8× B0's value), under a prefix that one watcher follows without previous values, as the
     * service's watch cache follows its own. etcd's rate for the service's writes, with no HTTP at all: R_txn
     * leaves out the work etcd does for a server that keeps a watch cache (kube-apiserver keeps one too). Then the
     * same one at a time, as {@code R_txn1}: etcd's own latency for a B2 create.
     */
    private StoredWatched storedWatched(KV kv) throws Exception {
        bed.http.must("POST", NS, "application/json", Http.pool("b0-stored", 1));
        ByteSequence stored = kv.get(bytes(Http.storageKey("bench", "b0-stored"))).get()
                .getKvs().get(0).getValue();
        bed.http.must("DELETE", NS + "b0-stored", null, null);
        ByteSequence last = bytes(STORED_PREFIX + "last");
        AtomicLong events = new AtomicLong();
        CompletableFuture<Void> lastSeen = new CompletableFuture<>();
        Load.Op write = w -> {
            ByteSequence key = bytes(STORED_PREFIX + seq.incrementAndGet());
            return kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(key, stored, PutOption.DEFAULT)).commit().thenApply(r -> r.isSucceeded());
        };
        Load.Outcome outcome;
        Load.Outcome serial;
        try (Watch.Watcher watcher = bed.etcd.getWatchClient().watch(bytes(STORED_PREFIX),
                WatchOption.builder().isPrefix(true).build(), r -> {
                    events.addAndGet(r.getEvents().size());
                    if (r.getEvents().stream().anyMatch(e -> e.getKeyValue().getKey().equals(last))) {
                        lastSeen.complete(null);
                    }
                })) {
            Cpu cpu = Cpu.measure(java.util.Map.of("etcd", bed.etcdPid));
            // the whole window: etcd slows as B0's keys pile up, and B1, which it is set against, runs that long
            outcome = bed.loadWarmed(256, 1, write);
            cpu.record(bed.results, "B0-raw-txn-256-stored-watched");
            // serial latencies are measured once the bursts before them have settled, here as in B2
            bed.quiet("B0-raw-txn-256-stored-watched");
            serial = bed.loadWarmed(1, 0.5, write);
            // one watch delivers in revision order: once the last write's event is in, every earlier one is
            kv.put(last, stored).get();
            lastSeen.get(30, TimeUnit.SECONDS);
        }
        bed.results.add("B0-raw-txn-256-stored-watched", outcome.perSecond(), "ops/s", 0, "recorded", outcome);
        bed.results.add("B0-raw-txn-serial-stored-watched-p50", serial.p50Millis(), "ms", 0, "recorded", serial);
        bed.results.fact("B0-raw-txn-256-stored-watched-value-bytes", stored.size());
        // both loads' writes and the last one
        bed.results.fact("B0-raw-txn-stored-watched-events", events.get());
        return new StoredWatched(outcome, serial);
    }

    /** B0's compare-create txn of a new key under {@code prefix}: what R_txn and R_txn1 measure. */
    private CompletionStage<Boolean> rawCreate(KV kv, String prefix, String value) {
        ByteSequence key = bytes(prefix + seq.incrementAndGet());
        return kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, bytes(value), PutOption.DEFAULT)).commit().thenApply(r -> r.isSucceeded());
    }

    void run() throws Exception {
        Results results = bed.results;
        KV kv = bed.etcd.getKVClient();
        String small = Http.pool("raw", 1);
        Cpu txnCpu = Cpu.measure(java.util.Map.of("etcd", bed.etcdPid));
        Load.Outcome txn = bed.load(256, w -> rawCreate(kv, "/bench-raw/txn/", small));
        txnCpu.record(results, "B0-raw-txn-256");
        results.add("B0-raw-txn-256", txn.perSecond(), "ops/s", 0, "recorded", txn);
        storedWatched = storedWatched(kv);
        Load.Outcome txn1 = bed.load(1, w -> rawCreate(kv, "/bench-raw/txn1/", small));
        results.add("B0-raw-txn-serial-p50", txn1.p50Millis(), "ms", 0, "recorded", txn1);
        kv.put(bytes("/bench-raw/get"), bytes(small)).get();
        kv.put(bytes("/bench-raw/get38"), bytes(Http.pool("raw", 256))).get();
        GetOption serializable = GetOption.builder().withSerializable(true).build();
        Load.Outcome get = bed.load(64, w -> kv.get(bytes("/bench-raw/get"), serializable)
                .thenApply(r -> r.getCount() == 1));
        results.add("B0-raw-get-serializable-64", get.perSecond(), "ops/s", 0, "recorded", get);
        Load.Outcome lget = bed.load(64, w -> kv.get(bytes("/bench-raw/get")).thenApply(r -> r.getCount() == 1));
        results.add("B0-raw-get-linearizable-64", lget.perSecond(), "ops/s", 0, "recorded", lget);
        Load.Outcome get38 = bed.load(64, w -> kv.get(bytes("/bench-raw/get38"), serializable)
                .thenApply(r -> r.getCount() == 1));
        results.add("B0-raw-get-38k-64", get38.perSecond(), "ops/s", 0, "recorded", get38);
        // Whereabouts' allocation with nothing but etcd: a linearizable read of a 256-allocation pool, then a
        // write of it conditional on the revision read, retried when another writer got there first. What B7
        // adds to it is HTTP, authentication, JSON, the patch, validation and managedFields.
        Load.Outcome getTxn1 = bed.load(1, w -> RawEtcd.allocation(kv, bytes("/bench-raw/get38")));
        results.add("B0-raw-get-txn-serial", getTxn1.perSecond(), "ops/s", 0, "recorded", getTxn1);
        // right after the same call at 1: the short warm-up and half window of the harness's own yardsticks
        Load.Outcome getTxn32 = bed.loadWarmed(32, 0.5, w -> RawEtcd.allocation(kv, bytes("/bench-raw/get38")));
        results.add("B0-raw-get-txn-32-one-key", getTxn32.perSecond(), "ops/s", 0, "recorded", getTxn32);
        bed.baselines(new Bed.Baselines(txn.perSecond(), txn1.p50Millis(), get.perSecond(), lget.perSecond(),
                get38.perSecond(), getTxn1.perSecond(), getTxn32.perSecond()));
        // the stored-watched keys go once the serial yardsticks are taken: deleted before them, their compaction
        // (the service's compactor runs every 10 s) ran under R_txn1
        RawEtcd.deletePrefix(kv, STORED_PREFIX);
        bed.compactAndDefragment("B0");

        try (Sidecar proxy = Sidecar.start(ProxyCeiling.class, bed.etcdUrl);
                AsyncHttp bare = new AsyncHttp(proxy.url(), null, 512)) {
            writes(txn, txn1, bare, proxy.pid(), kv, small);
            reads(get, lget, get38, bare);
        }
    }

    /** B1 and B2, each followed by the same load against {@link ProxyCeiling}. */
    private void writes(Load.Outcome txn, Load.Outcome txn1, AsyncHttp bare, long proxyPid, KV kv, String small)
            throws Exception {
        Results results = bed.results;
        // B1 is the service's first load since it started: its JIT settles first (see Bed.settleJit), under the
        // mix a server serves rather than B1's POSTs alone. C2 compiles the paths every request shares (HTTP,
        // authentication, routing, encoding) for the calls it has seen: settled on POSTs only, B3's cached GETs
        // then ran a quarter slower (30k against 38-41k/s in the same hour).
        bed.http.must("POST", NS, "application/json", Http.pool("b1-jit-256", 256));
        bed.http.must("POST", NS, "application/json", Http.pool("b1-jit-small", 1));
        // both of the cached GET's paths: a small pool's is answered on the event loop, a 256-allocation pool's (over
        // 64 KB stored) on a worker; with the latter alone in the mix, B3's first scenario ran the former in C1's code.
        // The small one's comes eight in a row: B3 runs it ~40 times as often as the mix would (GetRoute's own code)
        Load.Op cachedSmall = Load.repeated(bed.httpOp("GET", NS + "b1-jit-small?resourceVersion=0", null, null), 8);
        Load.Op cached = bed.httpOp("GET", NS + "b1-jit-256?resourceVersion=0", null, null);
        Load.Op consistent = bed.httpOp("GET", NS + "b1-jit-small", null, null);
        Load.Op consistentLarge = bed.httpOp("GET", NS + "b1-jit-256", null, null);
        // Whereabouts' own calls are in the mix too (B7's GET and JSON patch of a 256-allocation pool; an add
        // overwrites, so none fails under contention): left out, B7 ran the patch path in C1's code, its C2
        // thresholds (10x the default, src/main/docker/jvm.options) not reached at B7's rate
        bed.settleJit("B1", bed.service.pid(), 256, w -> switch (w % 32) {
            case 16, 17, 18, 19 -> cachedSmall.run(w);
            case 20, 21, 22, 23 -> cached.run(w);
            case 24, 25, 26 -> consistent.run(w);
            case 27 -> consistentLarge.run(w);
            case 28, 29 -> bed.httpOp("PATCH", NS + "b1-jit-small", "application/merge-patch+json",
                    "{\"metadata\":{\"labels\":{\"n\":\"" + seq.incrementAndGet() + "\"}}}").run(w);
            case 30 -> bed.httpOp("PATCH", NS + "b1-jit-256", "application/json-patch+json",
                    "[{\"op\":\"add\",\"path\":\"/spec/allocations/" + (1000 + seq.incrementAndGet() % 64)
                    + "\",\"value\":{\"id\":\"jit\",\"podref\":\"bench/jit\"}}]").run(w);
            default -> bed.httpOp("POST", NS, "application/json", Http.pool("b1-" + seq.incrementAndGet(), 1))
                    .run(w);
        });
        // the service's POSTs, the bare proxy's and R_txn in turns of a few seconds, so that all three are measured
        // under the same conditions, as B2's serial creates are: B0's R_txn, on a fresh etcd two minutes and the
        // JIT's settle before, measured the machine's drift as well (5,536-7,023/s in runs 47-50)
        Cpu postCpu = Cpu.paused(java.util.Map.of("etcd", bed.etcdPid, "service", bed.service.pid()));
        Cpu barePostCpu = Cpu.paused(java.util.Map.of("etcd", bed.etcdPid, "proxy", proxyPid));
        Cpu txnCpu = Cpu.paused(java.util.Map.of("etcd", bed.etcdPid));
        Load.Outcome[] posts = bed.interleave(256,
                Load.Turn.measured(Bed.httpOp(bed.async, "POST", w -> NS, "application/json",
                        w -> Http.pool("b1-" + seq.incrementAndGet(), 1)), postCpu),
                Load.Turn.measured(Bed.httpOp(bare, "POST", w -> "/p/", "application/json",
                        w -> Http.pool("b1-" + seq.incrementAndGet(), 1)), barePostCpu),
                Load.Turn.measured(w -> rawCreate(kv, B1_TXN_PREFIX, small), txnCpu));
        Load.Outcome post = posts[0];
        Load.Outcome barePost = posts[1];
        Load.Outcome txnAlongside = posts[2];
        postCpu.record(results, "B1-post-256");
        barePostCpu.record(results, "B1-ceiling-proxy-post-256");
        txnCpu.record(results, "B1-raw-txn-256-alongside");
        results.fact("B1-raw-txn-256-alongside", txnAlongside.perSecond());
        results.fact("B1-raw-txn-256-alongside-failures", txnAlongside.failures());
        results.add("B1-post-256", post.perSecond(), "ops/s", txnAlongside.perSecond(),
                ">= 0.6 x R_txn (R_txn taken alongside, in turns)", post,
                txnAlongside.failures() == 0 && post.perSecond() >= 0.6 * txnAlongside.perSecond());
        results.fact("B1-post-256-ratio-to-b0-txn", post.perSecond() / txn.perSecond());
        results.fact("B1-post-256-ratio-to-stored-watched", post.perSecond() / storedWatched.concurrent().perSecond());
        results.add("B1-ceiling-proxy-post-256", barePost.perSecond(), "ops/s", txnAlongside.perSecond(), "recorded",
                barePost);

        // B1's ~100,000 keys (pools and the ceiling's) out, and etcd compacted and defragmented, before the
        // latencies: right after the burst etcd is still compacting, and its serial writes take longer
        removeCreated("b1-");
        RawEtcd.deletePrefix(kv, B1_TXN_PREFIX);
        bed.compactAndDefragment("B1");

        // B2's creates, the bare proxy's and R_txn1's txn in turns of a few seconds, so that all three are measured
        // under the same conditions: one after the other, minutes apart from B0's R_txn1, they measured the
        // machine's drift as well (the bare proxy's create p50 0.06-0.56 ms over B0's R_txn1 from run to run)
        double jitBefore = Service.jitCpuSeconds(bed.service.pid());
        long createStarted = System.nanoTime();
        Load.Outcome[] creates = bed.interleave(
                Bed.httpOp(bed.async, "POST", w -> NS, "application/json",
                        w -> Http.pool("b2-" + seq.incrementAndGet(), 1)),
                Bed.httpOp(bare, "POST", w -> "/p/", "application/json",
                        w -> Http.pool("b2-" + seq.incrementAndGet(), 1)),
                w -> rawCreate(kv, B2_TXN1_PREFIX, small));
        Load.Outcome create = creates[0];
        Load.Outcome bareCreate = creates[1];
        double txn1Alongside = creates[2].p50Millis();
        // the JIT's share during the serial creates: code B1's concurrent mix left cold (or C2 threw away) would
        // compile here, at a fiftieth of B1's request rate and under ten times C2's default thresholds
        results.fact("B2-create-serial-jit-cores", (Service.jitCpuSeconds(bed.service.pid()) - jitBefore)
                / ((System.nanoTime() - createStarted) / 1e9));
        results.fact("B2-raw-txn-serial-alongside-p50", txn1Alongside);
        results.fact("B2-raw-txn-serial-alongside-failures", creates[2].failures());
        results.add("B2-create-serial-p50", create.p50Millis(), "ms", txn1Alongside,
                "<= R_txn1 p50 + 0.3 ms (R_txn1 taken alongside, in turns)", create,
                creates[2].failures() == 0 && create.p50Millis() <= txn1Alongside + 0.3);
        // R_txn1 writes 234 unwatched bytes; a create writes the stored form, watched: what the API adds over etcd
        // writing what the service writes
        results.fact("B2-create-serial-p50-over-stored-watched-ms", create.p50Millis()
                - storedWatched.serial().p50Millis());
        results.fact("B2-create-serial-p50-over-b0-txn1-ms", create.p50Millis() - txn1.p50Millis());
        // the create's time over R_txn1 in two parts: what any HTTP front of etcd in a process of its own adds here
        // (the bare proxy), and what the API adds to that
        results.fact("B2-ceiling-proxy-create-serial-p50-over-txn1-ms", bareCreate.p50Millis() - txn1Alongside);
        results.fact("B2-create-serial-p50-over-proxy-ms", create.p50Millis() - bareCreate.p50Millis());
        results.add("B2-ceiling-proxy-create-serial-p50", bareCreate.p50Millis(), "ms", txn1Alongside,
                "recorded", bareCreate);
        bed.http.must("POST", NS, "application/json", Http.pool("b2-update", 1));
        Load.Outcome update = bed.http(1, "PATCH", w -> NS + "b2-update", "application/merge-patch+json",
                w -> "{\"metadata\":{\"labels\":{\"n\":\"" + seq.incrementAndGet() + "\"}}}");
        results.add("B2-update-serial-p99", update.p99Millis(), "ms", 0, "<= 5 ms", update, update.p99Millis() <= 5);
        Load.Outcome bareUpdate = bed.http(bare, 1, "PATCH", w -> "/p/b2-update", "application/json",
                w -> Http.pool("b2-update-" + seq.incrementAndGet(), 1));
        results.add("B2-ceiling-proxy-update-serial-p99", bareUpdate.p99Millis(), "ms", 0, "recorded", bareUpdate);
        removeCreated("b2-");
        RawEtcd.deletePrefix(kv, B2_TXN1_PREFIX);
        bed.compactAndDefragment("B2");
    }

    /**
     * Removes the pools named {@code prefix}… and the ceiling's keys straight from etcd, so the watch cache and heap
     * of the later scenarios hold what a cluster would. In ranged deletes of 2,000 keys: one delete of them all is
     * one revision, whose watch event (with the previous values) would be a ~300 MB message.
     */
    private void removeCreated(String prefix) throws Exception {
        KV kv = bed.etcd.getKVClient();
        bed.results.fact(prefix + "pools-removed", RawEtcd.deletePrefix(kv, Http.storageKey("bench", prefix)));
        bed.results.fact(prefix + "proxy-keys-removed", RawEtcd.deletePrefix(kv, "/bench-proxy/p/"));
    }

    /** B3, its consistent GET followed by the same load against {@link ProxyCeiling}. */
    private void reads(Load.Outcome get, Load.Outcome lget, Load.Outcome get38, AsyncHttp bare) throws Exception {
        Results results = bed.results;
        bed.http.must("POST", NS, "application/json", Http.pool("b3-small", 1));
        bed.http.must("POST", NS, "application/json", Http.pool("b3-256", 256));
        double ranges = bed.service.metric("etcd_request_duration_seconds_count{operation=\"get\"");
        // at this rate C2 goes on compiling Netty's and the JDK's I/O code for 20-30 s (its thresholds are ten times
        // the default), past the 10 s warm-up: 0.20-0.25 cores of the measured window in runs 57-59
        bed.settleJit("B3-get-cache-small", bed.service.pid(), 64,
                bed.httpOp("GET", NS + "b3-small?resourceVersion=0", null, null));
        Cpu cacheSmallCpu = Cpu.measure(java.util.Map.of("service", bed.service.pid()));
        Load.Outcome cacheSmall = bed.http(64, "GET", w -> NS + "b3-small?resourceVersion=0", null, null);
        cacheSmallCpu.record(results, "B3-get-cache-small");
        Load.Outcome cache256 = bed.http(64, "GET", w -> NS + "b3-256?resourceVersion=0", null, null);
        double etcdReads = bed.service.metric("etcd_request_duration_seconds_count{operation=\"get\"") - ranges;
        results.fact("B3-cache-etcd-range-calls", etcdReads);
        results.add("B3-get-cache-small", cacheSmall.perSecond(), "ops/s", get.perSecond(),
                ">= 20k/s and >= 1.5 x R_get, no etcd range call", cacheSmall, cacheSmall.perSecond() >= 20000
                        && cacheSmall.perSecond() >= 1.5 * get.perSecond() && etcdReads == 0);
        results.add("B3-get-cache-256", cache256.perSecond(), "ops/s", get38.perSecond(),
                ">= 1.5 x R_get38, no etcd range call", cache256, cache256.perSecond() >= 1.5 * get38.perSecond()
                        && etcdReads == 0);
        Load.Outcome consistent = bed.http(64, "GET", w -> NS + "b3-small", null, null);
        results.add("B3-get-consistent", consistent.perSecond(), "ops/s", lget.perSecond(), ">= 0.8 x R_lget",
                consistent, consistent.perSecond() >= 0.8 * lget.perSecond());
        bed.etcd.getKVClient().put(bytes("/bench-proxy/g"), bytes(Http.pool("b3-small", 1))).get();
        Load.Outcome bareConsistent = bed.http(bare, 64, "GET", w -> "/g", null, null);
        results.add("B3-ceiling-proxy-get-consistent", bareConsistent.perSecond(), "ops/s", lget.perSecond(),
                "recorded", bareConsistent);
        // what this load generator and the HTTP stack can do at all: a GET that does no work (/livez)
        Load.Outcome ceiling = bed.loadWarmed(64, 0.5, bed.httpOp("GET", "/livez", null, null));
        results.add("B3-http-ceiling-livez", ceiling.perSecond(), "ops/s", 0, "recorded", ceiling);
    }
}
