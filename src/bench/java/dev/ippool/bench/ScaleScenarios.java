package dev.ippool.bench;

import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * B8: pools of 8,192 allocations under the default limits and of 65,536 with every limit raised together, and
 * over-limit writes (a clean 413); B9: start-up of the service with 1,000 pools stored.
 */
final class ScaleScenarios {

    /** Enough for a 65,536-allocation pool (~7 MB of JSON) with room for its managedFields. */
    private static final int LARGE_LIMIT = 32 * 1024 * 1024;

    private final Bed bed;
    private final Path work;

    ScaleScenarios(Bed bed, Path work) {
        this.bed = bed;
        this.work = work;
    }

    void run() throws Exception {
        String pools = Http.pools("bench-large");
        Histogram mid = roundTrips(bed.http, pools, 8_192, bed.mode.largeSamples() * 3);
        bed.results.add("B8-pool-8192-roundtrip-p99", mid.getValueAtPercentile(99) / 1000.0, "ms", 0,
                "create / get / patch work", outcome(mid, 0), true);
        // over the limits: a 65,536 body over the 3 MiB body limit, and a patch growing the 8,192 pool past etcd's
        // 1.5 MiB request limit; both must be 413 and leave the pool as it was
        String before = bed.http.must("GET", pools + "pool-8192", null, null);
        HttpResponse<String> body = bed.http.send("POST", pools, "application/json", Http.pool("too-big", 65_536));
        HttpResponse<String> grow = bed.http.send("PATCH", pools + "pool-8192", "application/merge-patch+json",
                "{\"spec\":" + Http.pool("x", 16_384).replaceFirst("^.*\"spec\":", ""));
        String after = bed.http.must("GET", pools + "pool-8192", null, null);
        long unclean = (body.statusCode() == 413 ? 0 : 1) + (grow.statusCode() == 413 ? 0 : 1)
                + (before.equals(after) ? 0 : 1);
        bed.results.fact("B8-over-body-limit-code", body.statusCode());
        bed.results.fact("B8-over-etcd-limit-code", grow.statusCode());
        bed.results.add("B8-over-limit-413", body.statusCode() == 413 && grow.statusCode() == 413 ? 1 : 0, "ok", 0,
                "413, nothing written", new Load.Outcome(0, 0, 0, 2, unclean), unclean == 0);
        bed.compactAndDefragment("B8-8192");
        large();
        startUp();
    }

    /** A second etcd and service with every limit raised together, for the 65,536-allocation pool. */
    private void large() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.startTemporary(List.of("--max-request-bytes",
                Integer.toString(LARGE_LIMIT)));
                Service service = Service.start(Service.deployed(etcd.clientUrl(), work, Map.of(
                        "IPPOOL_LIMITS_MAX_BODY_BYTES", Integer.toString(LARGE_LIMIT),
                        "QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE", "64M")), work.resolve("service-large.log"))) {
            service.awaitReady();
            Http http = new Http(service.url(), bed.token);
            Histogram large = roundTrips(http, Http.pools("bench-large"), 65_536, bed.mode.largeSamples());
            double p99 = large.getValueAtPercentile(99) / 1000.0;
            bed.results.fact("B8-pool-65536-rss-bytes", service.rssBytes());
            Histogram raw = rawRoundTrips(etcd.clientUrl(), Http.storageKey("bench-large", "pool-65536"),
                    bed.mode.largeSamples());
            double rawP99 = raw.getValueAtPercentile(99) / 1000.0;
            bed.results.add("B8-raw-roundtrip-65536-p99", rawP99, "ms", 0, "recorded", outcome(raw, 0));
            bed.results.add("B8-pool-65536-roundtrip-p99", p99, "ms", rawP99, "create / get / patch work, p99 < 1000 ms",
                    outcome(large, 0), p99 < 1000);
        }
    }

    /**
     * Creates a pool of {@code size}, then times GET + allocating JSON patch round trips on it after the mode's
     * warm-up (as every scenario has one: the first round trips of a fresh JVM run the large-pool paths before
     * they are compiled). The first, cold round trip is recorded beside as a fact.
     */
    private Histogram roundTrips(Http http, String pools, int size, int samples) throws Exception {
        String name = "pool-" + size;
        http.must("POST", pools, "application/json", Http.pool(name, size));
        int offset = size + 1;
        long warmEnd = System.nanoTime() + bed.mode.warmupMillis() * 1_000_000;
        int warmups = 0;
        do {
            long micros = roundTrip(http, pools + name, offset++);
            if (warmups++ == 0) {
                bed.results.fact("B8-pool-" + size + "-first-roundtrip-ms", micros / 1000.0);
            }
        } while (System.nanoTime() < warmEnd);
        bed.results.fact("B8-pool-" + size + "-warmup-roundtrips", warmups);
        Histogram h = new Histogram(3);
        for (int i = 0; i < samples; i++) {
            h.recordValue(roundTrip(http, pools + name, offset++));
        }
        return h;
    }

    /**
     * The same round trips with nothing but jetcd on the same etcd, as B0's raw loop: a linearizable get of the
     * stored pool, then a put of its bytes conditional on the revision read. What the service adds to it is
     * HTTP, JSON, the patch, validation and managedFields; what is left is etcd moving ~11 MB each way.
     */
    private Histogram rawRoundTrips(String etcdUrl, String key, int samples) throws Exception {
        try (Client client = Client.builder().endpoints(etcdUrl).maxInboundMessageSize(LARGE_LIMIT).build()) {
            KV kv = client.getKVClient();
            ByteSequence k = ByteSequence.from(key, StandardCharsets.UTF_8);
            long warmEnd = System.nanoTime() + bed.mode.warmupMillis() * 1_000_000;
            do {
                rawRoundTrip(kv, k);
            } while (System.nanoTime() < warmEnd);
            Histogram h = new Histogram(3);
            for (int i = 0; i < samples; i++) {
                h.recordValue(rawRoundTrip(kv, k));
            }
            return h;
        }
    }

    private static long rawRoundTrip(KV kv, ByteSequence key) throws Exception {
        long start = System.nanoTime();
        io.etcd.jetcd.KeyValue current = kv.get(key).get().getKvs().get(0);
        if (!kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(current.getModRevision())))
                .Then(Op.put(key, current.getValue(), PutOption.DEFAULT)).commit().get().isSucceeded()) {
            throw new IllegalStateException(key + " changed under the raw round trips");
        }
        return Math.max(1, (System.nanoTime() - start) / 1000);
    }

    /** One Whereabouts allocation: GET, then a JSON patch testing its resourceVersion; microseconds. */
    private static long roundTrip(Http http, String pool, int offset) throws Exception {
        long start = System.nanoTime();
        long rv = Http.resourceVersion(http.must("GET", pool, null, null));
        http.must("PATCH", pool, "application/json-patch+json", "[{\"op\":\"test\",\"path\":"
                + "\"/metadata/resourceVersion\",\"value\":\"" + rv + "\"},{\"op\":\"add\",\"path\":"
                + "\"/spec/allocations/" + offset + "\",\"value\":{\"id\":\"c\",\"podref\":\"bench/p\"}}]");
        return Math.max(1, (System.nanoTime() - start) / 1000);
    }

    private static Load.Outcome outcome(Histogram h, long failures) {
        return new Load.Outcome(0, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getTotalCount(), failures);
    }

    /**
     * B9: the median of several starts against the benchmark's etcd, which holds B4's pools and more by now. As
     * the container image is built (src/main/docker/Dockerfile.jvm), a training start first archives the classes
     * a start and a first GET load (JDK dynamic class-data sharing); the measured starts map that archive. The
     * same starts without it are recorded beside. The service's measured starts take turns with its two
     * yardsticks' (the bare proxy, the Quarkus floor), one of each per round, so that all three are measured under
     * the same conditions: one batch after the other, they measured the machine's drift as well.
     */
    private void startUp() throws Exception {
        String pool = Http.pools("bench-list") + "pool-00000";
        if (bed.http.send("GET", pool, null, null).statusCode() == 404) {
            // B4 did not run (-Dbench.only): store the pools it would have left
            new ListScenarios(bed).fill("bench-list", bed.mode.startPools(), 1);
        }
        Path archive = work.resolve("app-cds.jsa");
        train(archive);
        double[] without = new double[bed.mode.starts()];
        for (int i = 0; i < without.length; i++) {
            try (Service service = Service.start(bed.service.env(), work.resolve("service-start.log"))) {
                without[i] = service.awaitOk(service.url() + pool, bed.token);
            }
        }
        Arrays.sort(without);
        bed.results.fact("B9-without-archive-starts-millis", without[without.length / 2]);
        System.out.println("B9 starts without the archive (ms): " + Arrays.toString(without));
        bed.etcd.getKVClient().put(io.etcd.jetcd.ByteSequence.from("/bench-proxy/g", StandardCharsets.UTF_8),
                io.etcd.jetcd.ByteSequence.from(Http.pool("g", 1), StandardCharsets.UTF_8)).get();
        QuarkusFloor floor = new QuarkusFloor(work);
        floor.build();
        floor.train();
        double[] millis = new double[bed.mode.starts()];
        double[] rss = new double[millis.length];
        double[] bareMillis = new double[millis.length];
        double[] floorMillis = new double[millis.length];
        for (int i = 0; i < millis.length; i++) {
            try (Service service = Service.start(bed.service.env(), work.resolve("service-start.log"),
                    List.of("-XX:SharedArchiveFile=" + archive))) {
                millis[i] = service.awaitOk(service.url() + pool, bed.token);
                rss[i] = service.rssBytes();
            }
            try (Sidecar bare = Sidecar.start(ProxyCeiling.class, bed.etcdUrl)) {
                bareMillis[i] = bare.awaitOk("/g");
            }
            floorMillis[i] = floor.start();
        }
        if (Files.readString(work.resolve("service-start.log")).contains("Unable to use shared archive")) {
            throw new IllegalStateException("a start did not map the class-data archive: see service-start.log");
        }
        double medianMillis = median(millis, "B9 starts (ms): ");
        double medianRss = median(rss, "B9 RSS (bytes): ") / 1e6;
        bed.results.fact("B9-starts-millis", medianMillis);
        bed.results.fact("B9-rss-mb", medianRss);
        bed.results.fact("B9-pools-stored", bed.mode.startPools());
        bed.results.add("B9-startup-first-get", medianMillis, "ms", 0, "< 1500 ms, RSS < 200 MB", new Load.Outcome(0,
                medianMillis, millis[millis.length - 1], millis.length, 0), medianMillis < 1500 && medianRss < 200);
        // the yardsticks: a JVM with Vert.x and jetcd and nothing else (ProxyCeiling), to its first GET through
        // etcd; and this stack, Quarkus with the service's extensions, before any of the service's code runs
        double bare = median(bareMillis, "B9 bare starts (ms): ");
        bed.results.add("B9-ceiling-proxy-startup-first-get", bare, "ms", 0, "recorded", new Load.Outcome(0, bare,
                bareMillis[bareMillis.length - 1], bareMillis.length, 0));
        double floorMedian = median(floorMillis, "B9 Quarkus floor starts (ms): ");
        bed.results.add("B9-ceiling-quarkus-startup-first-get", floorMedian, "ms", 0, "recorded",
                new Load.Outcome(0, floorMedian, floorMillis[floorMillis.length - 1], floorMillis.length, 0));
    }

    /** Sorts {@code values} in place, prints them after {@code label}, and returns their median. */
    private static double median(double[] values, String label) {
        Arrays.sort(values);
        System.out.println(label + Arrays.toString(values));
        return values[values.length / 2];
    }

    /**
     * Trains the class-data archive with the image's own script (src/main/docker/train-cds.sh), as the image build
     * does: no etcd reachable, the service's JVM options and jar path.
     */
    private void train(Path archive) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "src/main/docker/train-cds.sh", Service.JAR.toString(),
                archive.toString(), Service.OPTIONS_FILE.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("service-start.log").toFile()));
        pb.environment().putAll(Map.of("ETCD_ENDPOINTS", "http://127.0.0.1:" + EtcdProcess.freePort(),
                "TRAIN_PORT", Integer.toString(EtcdProcess.freePort()),
                "TRAIN_MANAGEMENT_PORT", Integer.toString(EtcdProcess.freePort()),
                "TRAIN_JAVA_OPTS", "-XX:MaxRAM=1g"));
        Process training = pb.start();
        if (!training.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || training.exitValue() != 0) {
            training.destroyForcibly();
            throw new IllegalStateException("training the class-data archive failed (the script needs sh and curl: "
                    + "apt-get install curl): see " + work.resolve("service-start.log"));
        }
    }
}
