package dev.ippool.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * What every scenario runs on: the etcd (and a raw jetcd client to it), the service, the HTTP side, the run's
 * mode and results, and the raw-etcd baselines once B0 has taken them.
 */
final class Bed {

    private static final CompactOption PHYSICAL = CompactOption.builder().withCompactPhysical(true).build();

    final String etcdUrl;
    /** etcd's process, for its CPU time. */
    final long etcdPid;
    final Client etcd;
    final Service service;
    final Http http;
    /** For the measured loads: the efficient client. */
    final AsyncHttp async;
    final String token;
    final Mode mode;
    final Results results;
    private Baselines baselines;

    /** B0's yardsticks, in ops/s or ms. */
    record Baselines(double txn, double txn1P50, double get, double lget, double get38, double getTxn1,
            double getTxn32) {
    }

    Bed(String etcdUrl, long etcdPid, Service service, String token, Mode mode, Results results) {
        this.etcdUrl = etcdUrl;
        this.etcdPid = etcdPid;
        this.etcd = Client.builder().endpoints(etcdUrl).build();
        this.service = service;
        this.http = new Http(service.url(), token);
        this.async = new AsyncHttp(service.url(), token, 512);
        this.token = token;
        this.mode = mode;
        this.results = results;
    }

    Baselines baselines() {
        return baselines;
    }

    void baselines(Baselines b) {
        this.baselines = b;
    }

    Load.Outcome load(int concurrency, Load.Op op) throws Exception {
        return Load.run(Math.min(concurrency, mode.maxInFlight()), mode.warmupMillis(), mode.measureMillis(), op);
    }

    /**
     * {@link Load#interleave}: {@code turns} after the usual warm-up between them, then in four rounds of blocks that
     * take twice the window together.
     */
    Load.Outcome[] interleave(Load.Op... turns) throws Exception {
        return Load.interleave(mode.warmupMillis(), 2 * mode.measureMillis() / (4L * turns.length), 4, turns);
    }

    /**
     * {@link Load#interleave(int, long, long, long, int, Load.Turn...)} at {@code concurrency}: the usual warm-up
     * between the turns, then four rounds of blocks that take twice the window together, each block's first fifth
     * unmeasured.
     */
    Load.Outcome[] interleave(int concurrency, Load.Turn... turns) throws Exception {
        long block = 2 * mode.measureMillis() / (4L * turns.length);
        return Load.interleave(Math.min(concurrency, mode.maxInFlight()), mode.warmupMillis(), block / 5, block, 4,
                turns);
    }

    /**
     * {@link #load} after a fifth of the warm-up, measured over {@code measureShare} of the window: for a yardstick
     * of the harness's own (recorded, with no target of its own) that runs right after calls of the same kind have
     * warmed the generator and its server, and that a full run (20 min at most) has no room for at full length.
     */
    Load.Outcome loadWarmed(int concurrency, double measureShare, Load.Op op) throws Exception {
        return Load.run(Math.min(concurrency, mode.maxInFlight()), mode.warmupMillis() / 5,
                (long) (mode.measureMillis() * measureShare), op);
    }

    /**
     * Compacts etcd to its current revision and defragments it, recording the database size before and after,
     * then waits for etcd and the service to go quiet ({@link #quiet}), so one scenario's history does not weigh on
     * the next. The compaction is physical: the call returns once etcd has deleted the old revisions from its
     * backend. A logical one returns at once and etcd deletes them in the background, in batches of 1,000 with 10 ms
     * pauses; the defragmentation then ran before it and reclaimed nothing (B1's 400 MB stayed 400 MB in runs
     * 40-44), and the compaction of B1's ~360,000 removed keys ran under B2's serial creates.
     */
    void compactAndDefragment(String after) throws Exception {
        long before = etcd.getMaintenanceClient().statusMember(etcdUrl).get().getDbSize();
        long revision = etcd.getKVClient().get(ByteSequence.from("/bench-compact", StandardCharsets.UTF_8)).get()
                .getHeader().getRevision();
        try {
            etcd.getKVClient().compact(revision, PHYSICAL).get();
        } catch (ExecutionException e) {
            // the service's own compactor got there first: nothing older is left either way
        }
        etcd.getMaintenanceClient().defragmentMember(etcdUrl).get();
        long defragmented = etcd.getMaintenanceClient().statusMember(etcdUrl).get().getDbSize();
        results.storage(after, before, defragmented);
        quiet(after);
    }

    /**
     * Waits until etcd and the service each used under 5 % of a core over a second (idle, both use 0-3 %), at
     * most 20 s, and records how long that took ({@code id-quiet-seconds}): what a burst leaves behind (the
     * service's watch cache taking in the deletions, its collector, etcd's own) is the burst's cost, not the next
     * scenario's.
     */
    void quiet(String id) throws Exception {
        long started = System.nanoTime();
        boolean quiet;
        do {
            double etcdBefore = Service.cpuSeconds(etcdPid);
            double serviceBefore = service.cpuSeconds();
            long windowStarted = System.nanoTime();
            Thread.sleep(1000); // a measuring window: the CPU used over it is the condition
            double wall = (System.nanoTime() - windowStarted) / 1e9;
            quiet = (Service.cpuSeconds(etcdPid) - etcdBefore) / wall < 0.05
                    && (service.cpuSeconds() - serviceBefore) / wall < 0.05;
        } while (!quiet && System.nanoTime() - started < 20_000_000_000L);
        results.fact(id + "-quiet-seconds", (System.nanoTime() - started) / 1e9);
    }

    /**
     * Runs {@code op} in windows of half a warm-up until JVM {@code pid}'s JIT compiler threads use under 5 % of a
     * core in a window, or twelve warm-ups have passed; records how long that took ({@code id-jit-settle-seconds})
     * and the compilers' share in the last window ({@code id-jit-settle-last-cores}). A server is measured as it
     * runs for days. On these 2 cores, C2 compiling the service's hot paths took ~0.4 cores for 60-90 s of load,
     * far past one scenario's 10 s warm-up, and that CPU came out of the first scenario's throughput.
     */
    void settleJit(String id, long pid, int concurrency, Load.Op op) throws Exception {
        long started = System.nanoTime();
        long window = Math.max(250, mode.warmupMillis() / 2);
        double jitCores;
        do {
            double before = Service.jitCpuSeconds(pid);
            long windowStarted = System.nanoTime();
            Load.run(Math.min(concurrency, mode.maxInFlight()), 0, window, op);
            jitCores = (Service.jitCpuSeconds(pid) - before) / ((System.nanoTime() - windowStarted) / 1e9);
        } while (jitCores > 0.05 && System.nanoTime() - started < 12 * mode.warmupMillis() * 1_000_000);
        results.fact(id + "-jit-settle-seconds", (System.nanoTime() - started) / 1e9);
        results.fact(id + "-jit-settle-last-cores", jitCores);
    }

    /** One request to the service per operation, successful when 2xx. */
    Load.Op httpOp(String method, String path, String type, String body) {
        return httpOp(async, method, w -> path, type, w -> body);
    }

    /** One request to {@code client}'s server per operation, successful when 2xx. */
    static Load.Op httpOp(AsyncHttp client, String method, java.util.function.IntFunction<String> path,
            String type, java.util.function.IntFunction<String> body) {
        return w -> client.send(method, path.apply(w), type, body == null ? null : body.apply(w))
                .thenApply(AsyncHttp.Reply::ok);
    }

    /** A load of one HTTP request per operation, successful when 2xx. */
    Load.Outcome http(int concurrency, String method, java.util.function.IntFunction<String> path, String type,
            java.util.function.IntFunction<String> body) throws Exception {
        return http(async, concurrency, method, path, type, body);
    }

    /** The same load against another server (a yardstick), through {@code client}. */
    Load.Outcome http(AsyncHttp client, int concurrency, String method, java.util.function.IntFunction<String> path,
            String type, java.util.function.IntFunction<String> body) throws Exception {
        return load(concurrency, httpOp(client, method, path, type, body));
    }

    void close() throws Exception {
        async.close();
        etcd.close();
    }
}
