package dev.ippool.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.GetOption;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * B4: LIST a namespace of 1,000 small pools and one of 100 pools of 256 allocations, from the watch cache
 * ({@code resourceVersion=0}) and consistent (no resourceVersion, a quorum read of etcd), 8 in flight. The raw
 * etcd range over the same keys is the consistent list's yardstick. Memory: the service's allocation per LIST
 * (the JVM's allocated-bytes counter over the run) against the response size, an upper bound of the heap one
 * LIST can hold.
 */
final class ListScenarios {

    private static final int IN_FLIGHT = 8;

    private final Bed bed;

    ListScenarios(Bed bed) {
        this.bed = bed;
    }

    void run() throws Exception {
        fill("bench-list", bed.mode.listPools(), 1);
        fill("bench-list256", bed.mode.listPools256(), 256);
        measure("B4-list-" + bed.mode.listPools() + "-small", "bench-list", 300);
        measure("B4-list-" + bed.mode.listPools256() + "x256", "bench-list256", 30);
        bed.compactAndDefragment("B4");
    }

    /** Creates {@code count} pools of {@code allocations} in {@code namespace}, 16 at a time. */
    void fill(String namespace, int count, int allocations) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String body = Http.pool(String.format("pool-%05d", i), allocations);
                done.add(pool.submit(() -> bed.http.must("POST", Http.pools(namespace), "application/json", body)));
            }
            for (Future<String> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private void measure(String name, String namespace, double cacheTarget) throws Exception {
        String path = Http.pools(namespace).replaceAll("/$", "");
        HttpResponse<String> sample = bed.http.send("GET", path + "?resourceVersion=0", null, null);
        double size = sample.body().getBytes(StandardCharsets.UTF_8).length;
        bed.results.fact(name + "-response-bytes", size);

        double allocatedBefore = bed.service.metric("jvm_gc_memory_allocated_bytes_total");
        Load.Outcome cache = bed.http(IN_FLIGHT, "GET", w -> path + "?resourceVersion=0", null, null);
        double allocated = bed.service.metric("jvm_gc_memory_allocated_bytes_total") - allocatedBefore;
        // the warm-up's lists allocate too: count them at the measured rate over the whole run
        double lists = cache.perSecond() * (bed.mode.warmupMillis() + bed.mode.measureMillis()) / 1000.0;
        double perList = allocated / Math.max(1, lists) / size;
        bed.results.fact(name + "-cache-allocated-per-response-byte", perList);
        bed.results.add(name + "-cache", cache.perSecond(), "lists/s", 0, ">= " + (int) cacheTarget
                + "/s, allocation <= 2 x response", cache, cache.perSecond() >= cacheTarget && perList <= 2);

        ByteSequence prefix = ByteSequence.from(Http.storageKey(namespace, ""), StandardCharsets.UTF_8);
        GetOption range = GetOption.builder().isPrefix(true).build();
        int expected = (int) bed.etcd.getKVClient().get(prefix, range).get().getCount();
        // a yardstick: etcd's range of the same keys, with the short warm-up and half window of the harness's own
        Load.Outcome raw = bed.loadWarmed(IN_FLIGHT, 0.5, w -> bed.etcd.getKVClient().get(prefix, range)
                .thenApply(r -> r.getCount() == expected));
        bed.results.add(name + "-raw-range", raw.perSecond(), "ranges/s", 0, "recorded", raw);
        Load.Outcome consistent = bed.http(IN_FLIGHT, "GET", w -> path, null, null);
        bed.results.add(name + "-consistent", consistent.perSecond(), "lists/s", raw.perSecond(), "recorded",
                consistent);
    }
}
