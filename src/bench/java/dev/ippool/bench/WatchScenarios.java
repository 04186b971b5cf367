package dev.ippool.bench;

import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * B5: 1,000 watchers of one pool while it is written 100 times a second; B6: 10,000 idle watches open at once.
 */
final class WatchScenarios {


    private final Bed bed;
    /** Status → count of the watched pool's writes that failed (each a failure of B5). */
    private final Map<Integer, Integer> failedWrites = new ConcurrentHashMap<>();

    WatchScenarios(Bed bed) {
        this.bed = bed;
    }

    /** Where B5's watchers and writer point: the service, or the fan-out ceiling. */
    private record Server(String url, AsyncHttp writer, long pid, boolean service) {
    }

    void run() throws Exception {
        Server service = new Server(bed.service.url(), bed.async, bed.service.pid(), true);
        int frameBytes = fanOut(service, 100, "B5-watch-" + bed.mode.watchers(), true);
        // the same watchers at a fifth of the write rate: what this machine delivers when it is not saturated
        fanOut(service, 20, "B5-watch-" + bed.mode.watchers() + "-at-20-writes", false);
        ceiling(frameBytes);
        idle();
        bed.compactAndDefragment("B5-B6");
    }

    /**
     * The same 1,000 watchers and 100 writes/s against {@link FanOutCeiling}: the delivery this machine gives
     * when a server does nothing but write each frame to each watcher. What the service adds is the difference.
     */
    private void ceiling(int frameBytes) throws Exception {
        try (Sidecar bareServer = Sidecar.start(FanOutCeiling.class, Integer.toString(frameBytes));
                AsyncHttp writer = new AsyncHttp(bareServer.url(), null, 512)) {
            Server bare = new Server(bareServer.url(), writer, bareServer.pid(), false);
            // 20 writes/s first: it warms the bare server's JIT as the earlier groups warmed the service's
            fanOut(bare, 20, "B5-ceiling-fanout-" + bed.mode.watchers() + "-at-20-writes", false);
            fanOut(bare, 100, "B5-ceiling-fanout-" + bed.mode.watchers(), false);
        }
    }

    private static final byte[] MODIFIED = "{\"type\":\"MODIFIED\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESOURCE_VERSION = "\"resourceVersion\":\"".getBytes(StandardCharsets.UTF_8);

    private static boolean startsWith(Buffer line, byte[] prefix) {
        if (line.length() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line.getByte(i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The RV of a watch line's object, read from its bytes without a JSON parse (the generator must stay cheap). */
    static long rv(Buffer line) {
        outer:
        for (int at = 0; at + RESOURCE_VERSION.length < line.length(); at++) {
            for (int i = 0; i < RESOURCE_VERSION.length; i++) {
                if (line.getByte(at + i) != RESOURCE_VERSION[i]) {
                    continue outer;
                }
            }
            long rv = 0;
            for (int i = at + RESOURCE_VERSION.length; line.getByte(i) != '"'; i++) {
                rv = rv * 10 + (line.getByte(i) - '0');
            }
            return rv;
        }
        return -1;
    }

    /** Runs watchers against {@code server} while it is written; returns the size of a frame they received. */
    private int fanOut(Server server, int writesPerSecond, String id, boolean target) throws Exception {
        // a namespace per run: late writes of one run must not reach the next run's watchers
        String pools = Http.pools("bench-watch-" + writesPerSecond);
        String pool = "w";
        AsyncHttp.Reply created = server.writer().send("POST", pools, "application/json", Http.pool(pool, 1))
                .get(60, TimeUnit.SECONDS);
        long start = Http.resourceVersion(created.body());
        if (!created.ok() || start < 0) {
            throw new IllegalStateException("POST " + pools + " answered " + created.status() + ": " + created.body());
        }
        int watchers = bed.mode.watchers();
        java.util.concurrent.atomic.AtomicInteger frameBytes = new java.util.concurrent.atomic.AtomicInteger();
        double etcdWatchersBefore = server.service() ? etcdWatchers() : 0;
        // per watcher: the RVs it saw, in order, and when each arrived (each watcher's stream is read by one
        // event loop; the counts are atomic so the main thread sees them)
        int capacity = (int) (bed.mode.measureMillis() * writesPerSecond / 1000) + 16;
        AtomicIntegerArray counts = new AtomicIntegerArray(watchers);
        long[][] seen = new long[watchers][capacity];
        long[][] arrivals = new long[watchers][capacity];
        AtomicLong broken = new AtomicLong();
        try (AsyncHttp streams = new AsyncHttp(server.url(), bed.token, watchers + 16)) {
            List<CompletableFuture<Integer>> opened = new ArrayList<>();
            for (int i = 0; i < watchers; i++) {
                int k = i;
                opened.add(streams.watch(pools + "?watch=true&resourceVersion=" + start, line -> {
                    long now = System.nanoTime();
                    int c = counts.get(k);
                    if (startsWith(line, MODIFIED) && c < capacity) {
                        frameBytes.set(line.length() + 1);
                        seen[k][c] = rv(line);
                        arrivals[k][c] = now;
                        counts.set(k, c + 1);
                    }
                }, broken::incrementAndGet));
            }
            CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            double etcdWatchersDuring = server.service() ? etcdWatchers() : 0;
            // where the 2 cores go while the events are delivered: the service, and this load generator
            Cpu cpu = Cpu.measure(Map.of("service", server.pid()));
            Map<Long, Long> sentAt = write(server.writer(), pools + pool, writesPerSecond);
            long[] written = sentAt.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !allCaughtUp(seen, counts, written)) {
                Thread.sleep(10);
            }
            long ended = System.nanoTime();
            cpu.record(bed.results, id);
            // a write answered 504 may still have committed: its event is no loss or double, so each watcher may
            // see up to that many events beyond the answered writes, in order, and must see every answered one
            long unanswered = failedWrites.values().stream().mapToLong(Integer::longValue).sum();
            long[] lastArrival = new long[written.length];
            long incomplete = 0;
            for (int k = 0; k < watchers; k++) {
                long[] sequence = Arrays.copyOf(seen[k], counts.get(k));
                if (!matches(sequence, arrivals[k], written, unanswered, lastArrival) && incomplete++ == 0) {
                    System.err.println("B5: watcher " + k + " differs from the writes: "
                            + difference(sequence, written));
                }
            }
            Histogram latency = new Histogram(3);
            for (int i = 0; i < written.length; i++) {
                // a write no watcher saw counts as delivered when the wait ended (and its watchers as incomplete)
                long last = lastArrival[i] == 0 ? ended : lastArrival[i];
                latency.recordValue(Math.max(1, (last - sentAt.get(written[i])) / 1000));
            }
            double p99 = latency.getValueAtPercentile(99) / 1000.0;
            bed.results.fact(id + "-etcd-watchers-before", etcdWatchersBefore);
            bed.results.fact(id + "-etcd-watchers-during", etcdWatchersDuring);
            bed.results.fact(id + "-watchers-incomplete", incomplete);
            failedWrites.forEach((code, n) -> bed.results.fact(id + "-failed-writes-" + code, n));
            long failed = failedWrites.values().stream().mapToLong(Integer::longValue).sum();
            failedWrites.clear();
            bed.results.add(id + "-delivery-p99", p99, "ms", 0, (target ? "< 50 ms, " : "recorded; ")
                    + "no event lost or doubled, one etcd watch", new Load.Outcome(written.length
                            / (bed.mode.measureMillis() / 1000.0), latency.getValueAtPercentile(50) / 1000.0, p99,
                            written.length, incomplete + broken.get() + failed),
                    (!target || p99 < 50) && etcdWatchersDuring == etcdWatchersBefore);
            return frameBytes.get();
        }
    }

    /** Where a watcher's sequence of RVs first departs from the written one, for the log. */
    static String difference(long[] seen, long[] written) {
        int i = Arrays.mismatch(seen, written);
        return "saw " + seen.length + " of " + written.length + " events; first difference at " + i + ": saw "
                + Arrays.toString(Arrays.copyOfRange(seen, Math.max(0, i - 2), Math.min(seen.length, i + 3)))
                + ", written " + Arrays.toString(Arrays.copyOfRange(written, Math.max(0, i - 2),
                        Math.min(written.length, i + 3)));
    }

    /**
     * Whether a watcher's {@code sequence} of RVs rose strictly, held every written RV and at most {@code extra}
     * others; records when it received each written one into {@code lastArrival} (the latest over watchers).
     */
    static boolean matches(long[] sequence, long[] arrivals, long[] written, long extra, long[] lastArrival) {
        int w = 0;
        long previous = Long.MIN_VALUE;
        long others = 0;
        boolean ok = true;
        for (int i = 0; i < sequence.length; i++) {
            long rv = sequence[i];
            if (rv <= previous) {
                ok = false; // doubled or out of order
            }
            previous = Math.max(previous, rv);
            while (w < written.length && written[w] < rv) {
                ok = false; // written[w] was skipped: lost
                w++;
            }
            if (w < written.length && written[w] == rv) {
                lastArrival[w] = Math.max(lastArrival[w], arrivals[i]);
                w++;
            } else {
                others++;
            }
        }
        return ok && w == written.length && others <= extra;
    }

    private static boolean allCaughtUp(long[][] seen, AtomicIntegerArray counts, long[] written) {
        long last = written.length == 0 ? 0 : written[written.length - 1];
        for (int k = 0; k < counts.length(); k++) {
            int c = counts.get(k);
            if (c == 0 ? last > 0 : seen[k][c - 1] < last) {
                return false;
            }
        }
        return true;
    }

    /** Merge-patches the pool at a fixed rate for the measured window; returns each write's RV → send time. */
    private Map<Long, Long> write(AsyncHttp writer, String pool, int writesPerSecond) throws Exception {
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        int writes = (int) (bed.mode.measureMillis() * writesPerSecond / 1000);
        long begin = System.nanoTime();
        for (int i = 0; i < writes; i++) {
            long due = begin + i * (1_000_000_000L / writesPerSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long sent = System.nanoTime();
            inFlight.add(writer.send("PATCH", pool, "application/merge-patch+json",
                    "{\"metadata\":{\"labels\":{\"n\":\"" + i + "\"}}}")
                    .thenAccept(r -> {
                        if (r.ok() && Http.resourceVersion(r.body()) < 0) {
                            failedWrites.merge(-2, 1, Integer::sum); // a success without the object it wrote
                            System.err.println("B5: write answered " + r.status() + " without a resourceVersion ("
                                    + r.body().length() + " bytes, " + r.trace() + "): " + r.body());
                        } else if (r.ok()) {
                            Long before = sentAt.put(Http.resourceVersion(r.body()), sent);
                            if (before != null) {
                                failedWrites.merge(-1, 1, Integer::sum); // two writes answered one revision
                                System.err.println("B5: two writes answered resourceVersion "
                                        + Http.resourceVersion(r.body()) + " (status " + r.status() + ", "
                                        + r.body().length() + " bytes, " + r.trace() + "): " + r.body());
                            }
                        } else {
                            failedWrites.merge(r.status(), 1, Integer::sum);
                        }
                    }));
        }
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // an overloaded service still unanswered after a minute: those writes count as failed (code -3), and
            // the rest of the group (B6) still runs
            long unanswered = inFlight.stream().filter(f -> !f.isDone()).count();
            failedWrites.merge(-3, (int) unanswered, Integer::sum);
            System.err.println("B5: " + unanswered + " writes unanswered 60 s after the last was sent");
        }
        return sentAt;
    }

    /** etcd's own count of watchers (its /metrics): the service must hold one per resource, whatever its clients. */
    private double etcdWatchers() throws Exception {
        String text = bed.http.client().send(HttpRequest.newBuilder(URI.create(bed.etcdUrl + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith("etcd_debugging_mvcc_watcher_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
    }

    private void idle() throws Exception {
        String path = Http.pools("bench-idle") + "?watch=true&resourceVersion=0&allowWatchBookmarks=true";
        int count = bed.mode.idleWatches();
        double heapBefore = bed.service.heapAfterGcBytes();
        AtomicLong broken = new AtomicLong();
        try (AsyncHttp streams = new AsyncHttp(bed.service.url(), bed.token, count + 16)) {
            List<CompletableFuture<Integer>> opened = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                opened.add(streams.watch(path, line -> { }, broken::incrementAndGet));
                if (i % 500 == 499) {
                    // connect in waves: a burst of 10,000 connects overflows the listen backlog
                    CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                }
            }
            CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            long notOk = opened.stream().filter(f -> f.join() != 200).count();
            double heap = bed.service.heapAfterGcBytes();
            double registered = bed.service.metric("apiserver_registered_watchers");
            bed.results.fact("B6-heap-before-bytes", heapBefore);
            bed.results.fact("B6-registered-watchers", registered);
            bed.results.fact("B6-rss-bytes", bed.service.rssBytes());
            bed.results.fact("B6-heap-per-watch-bytes", (heap - heapBefore) / count);
            double mb = heap / 1e6;
            bed.results.add("B6-idle-watches-" + count + "-heap", mb, "MB", 0, "<= 300 MB", new Load.Outcome(0, 0, 0,
                    count, notOk + broken.get()), mb <= 300 && registered >= count);
        }
    }
}
