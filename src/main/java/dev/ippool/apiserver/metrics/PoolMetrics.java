package dev.ippool.apiserver.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.kinds.IPPool;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pool utilisation, the view Whereabouts never had: per pool the allocated addresses, the capacity (the shared
 * {@link IPPool#capacity} rule) and their ratio, refreshed from the watch cache every few seconds (no etcd reads).
 * Also {@code whereabouts_ippool_allocations{pool}}, the name the Telekom Whereabouts fork exports. Pool labels
 * are bounded by the number of pools; no pod ever becomes a label.
 */
@Singleton
@Startup
public class PoolMetrics {

    private final Store store;
    private final Codec codec;
    private final MeterRegistry registry;
    private final String prefix;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pool-metrics");
        t.setDaemon(true);
        return t;
    });
    /**
     * Per pool (by key) its gauges, registered once and reading the latest figures: a refresh decodes only the
     * pools that changed and touches the registry only for pools that came or went (or changed range), so tens
     * of thousands of pools cost little between changes. Written only by the refresher thread.
     */
    private final Map<String, Pool> pools = new HashMap<>();
    /** The fork's per-name sums, read by their gauges. */
    private final Map<String, Integer> perName = new ConcurrentHashMap<>();
    private final Map<String, Meter> perNameGauges = new HashMap<>();

    public PoolMetrics(Store store, Codec codec, IppoolConfig config, MeterRegistry registry) {
        this.store = store;
        this.codec = codec;
        this.registry = registry;
        this.prefix = IPPool.definition().storagePrefix(config.etcd().keyPrefix());
        refresher.scheduleWithFixedDelay(this::refresh, 0, config.metrics().poolRefreshInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One pool's figures at one revision. */
    private record Figures(long modRevision, String name, Tags tags, int used, Long capacity) {
        static Figures of(JsonNode pool, long modRevision) {
            String name = pool.path("metadata").path("name").asText();
            Tags tags = Tags.of("namespace", pool.path("metadata").path("namespace").asText(), "pool", name,
                    "range", pool.path("spec").path("range").asText(""));
            return new Figures(modRevision, name, tags, pool.path("spec").path("allocations").size(),
                    IPPool.capacity(pool).orElse(null));
        }

        /** Figures that need other series (labels, or whether a capacity exists). */
        boolean sameSeries(Figures other) {
            return tags.equals(other.tags) && (capacity == null) == (other.capacity == null);
        }
    }

    /** A pool's registered gauges and the figures they read. */
    private record Pool(AtomicReference<Figures> figures, List<Meter> meters) {
    }

    void refresh() {
        List<KeyValue> listed;
        try {
            listed = store.listNotOlderThan(prefix, 0).items();
        } catch (RuntimeException e) {
            return; // the cache is (re)loading: keep the last values
        }
        Map<String, Pool> gone = new HashMap<>(pools);
        Map<String, Integer> sums = new HashMap<>();
        for (KeyValue kv : listed) {
            Pool pool = gone.remove(kv.key());
            Figures f;
            if (pool != null && pool.figures().get().modRevision() == kv.modRevision()) {
                f = pool.figures().get();
            } else {
                f = Figures.of(codec.decodeStored(kv.value()), kv.modRevision());
                if (pool != null && pool.figures().get().sameSeries(f)) {
                    pool.figures().set(f);
                } else {
                    if (pool != null) {
                        pool.meters().forEach(registry::remove);
                    }
                    pools.put(kv.key(), register(f));
                }
            }
            sums.merge(f.name(), f.used(), Integer::sum);
        }
        gone.forEach((key, pool) -> {
            pool.meters().forEach(registry::remove);
            pools.remove(key);
        });
        perName.putAll(sums);
        for (String name : List.copyOf(perNameGauges.keySet())) {
            if (!sums.containsKey(name)) {
                registry.remove(perNameGauges.remove(name));
                perName.remove(name);
            }
        }
        sums.keySet().forEach(name -> perNameGauges.computeIfAbsent(name, n -> Gauge.builder(
                "whereabouts_ippool_allocations", perName, m -> m.getOrDefault(n, 0)).tags("pool", n)
                .description("Allocations per pool (the Telekom Whereabouts fork's name)").register(registry)));
    }

    private Pool register(Figures f) {
        AtomicReference<Figures> figures = new AtomicReference<>(f);
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder("whereabouts_ippool_allocated_addresses", figures, r -> r.get().used())
                .tags(f.tags()).description("Addresses allocated in the pool").register(registry));
        if (f.capacity() != null) {
            meters.add(Gauge.builder("whereabouts_ippool_capacity_addresses", figures, r -> r.get().capacity())
                    .tags(f.tags()).description("Addresses the pool's range can hand out (network and broadcast"
                            + " excluded)").register(registry));
            meters.add(Gauge.builder("whereabouts_ippool_utilization_ratio", figures, r -> {
                Figures now = r.get();
                return now.capacity() == 0 ? 0 : (double) now.used() / now.capacity();
            }).tags(f.tags()).description("Allocated addresses as a share of capacity, 0 to 1").register(registry));
        }
        return new Pool(figures, meters);
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }
}
