package dev.ippool.apiserver.storage;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A {@link Store} decorator timing every storage call as kube's {@code etcd_request_duration_seconds{operation,
 * type}}, the type being the resource ({@code ippools.whereabouts.cni.cncf.io}) read from the key.
 */
public final class MeteredStore implements Store {

    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
        Duration.ofMillis(800), Duration.ofSeconds(1), Duration.ofMillis(1250), Duration.ofMillis(1500),
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final Store backing;
    private final MeterRegistry registry;
    private final String root;

    /** @param root the key prefix ({@code /registry/}) before {@code <group>/<resource>/} */
    public MeteredStore(Store backing, MeterRegistry registry, String root) {
        this.backing = backing;
        this.registry = registry;
        this.root = root.endsWith("/") ? root : root + "/";
    }

    /**
     * The timers of each operation with the key prefix ({@code /registry/<group>/<resource>/}) they time. A store
     * holds a resource or two, so finding one is a scan of a list or two with no allocation: splitting every key
     * and concatenating a map key had been 2 % of the etcd client's event loop under POSTs.
     */
    private final java.util.Map<String, java.util.List<Timed>> timers = new java.util.concurrent.ConcurrentHashMap<>();

    private record Timed(String prefix, Timer timer) {
    }

    private <T> T timed(String operation, String key, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            record(operation, key, start);
        }
    }

    private void record(String operation, String key, long startNanos) {
        timer(operation, key).record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Timer timer(String operation, String key) {
        for (Timed timed : timers.getOrDefault(operation, java.util.List.of())) {
            if (key.startsWith(timed.prefix())) {
                return timed.timer();
            }
        }
        String type = type(key);
        // the registry answers the same timer for the same name and tags, so a race only adds a duplicate entry
        Timer timer = Timer.builder("etcd_request_duration_seconds").tag("operation", operation).tag("type", type)
                .serviceLevelObjectives(BUCKETS)
                .description("Etcd request latency in seconds for each operation and object type.").register(registry);
        int plural = key.indexOf('/', key.indexOf('/', root.length()) + 1);
        if (!type.isEmpty() && plural > 0) { // a key that names no more than the resource is not remembered
            Timed timed = new Timed(key.substring(0, plural + 1), timer);
            timers.merge(operation, java.util.List.of(timed), (a, b) -> java.util.stream.Stream
                    .concat(a.stream(), b.stream()).toList());
        }
        return timer;
    }

    /** {@code /registry/<group>/<plural>/...} → {@code <plural>.<group>}. */
    String type(String key) {
        if (!key.startsWith(root)) {
            return "";
        }
        String[] parts = key.substring(root.length()).split("/");
        return parts.length >= 2 ? parts[1] + "." + parts[0] : "";
    }

    @Override
    public Snapshot get(String key) {
        return timed("get", key, () -> backing.get(key));
    }

    @Override
    public Optional<CompletionStage<Snapshot>> getAsync(String key) {
        long start = System.nanoTime();
        return backing.getAsync(key).map(read -> read.whenComplete((snapshot, error) -> record("get", key, start)));
    }

    @Override
    public Stamp stamp(String key) {
        return timed("get", key, () -> backing.stamp(key));
    }

    @Override
    public Optional<CompletionStage<Stamp>> stampAsync(String key) {
        long start = System.nanoTime();
        return backing.stampAsync(key).map(read -> read.whenComplete((stamp, error) -> record("get", key, start)));
    }

    @Override
    public Page list(ListRequest request) {
        return timed("list", request.prefix(), () -> backing.list(request));
    }

    @Override
    public long create(String key, byte[] value) {
        return timed("create", key, () -> backing.create(key, value));
    }

    @Override
    public CompletionStage<Long> createAsync(String key, byte[] value) {
        long start = System.nanoTime();
        return backing.createAsync(key, value).whenComplete((revision, error) -> record("create", key, start));
    }

    @Override
    public long update(String key, byte[] value, long expectedModRevision) {
        return timed("update", key, () -> backing.update(key, value, expectedModRevision));
    }

    @Override
    public CompletionStage<Long> updateAsync(String key, byte[] value, long expectedModRevision) {
        long start = System.nanoTime();
        return backing.updateAsync(key, value, expectedModRevision)
                .whenComplete((revision, error) -> record("update", key, start));
    }

    @Override
    public long delete(String key, long expectedModRevision) {
        return timed("delete", key, () -> backing.delete(key, expectedModRevision));
    }

    @Override
    public CompletionStage<Long> deleteAsync(String key, long expectedModRevision) {
        long start = System.nanoTime();
        return backing.deleteAsync(key, expectedModRevision).whenComplete((revision, error) -> record("delete", key,
                start));
    }

    @Override
    public Subscription watch(String prefix, long afterRevision, WatchListener listener) {
        return backing.watch(prefix, afterRevision, listener);
    }

    @Override
    public Subscription watchLatest(String prefix, long afterRevision, WatchListener listener) {
        return backing.watchLatest(prefix, afterRevision, listener);
    }
}
