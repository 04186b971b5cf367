package dev.ippool.apiserver.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.kinds.IPPool;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.Store;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    private final String prefix;
    private final MultiGauge allocated;
    private final MultiGauge capacity;
    private final MultiGauge utilisation;
    private final MultiGauge allocations;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pool-metrics");
        t.setDaemon(true);
        return t;
    });

    public PoolMetrics(Store store, Codec codec, IppoolConfig config, MeterRegistry registry) {
        this.store = store;
        this.codec = codec;
        this.prefix = IPPool.definition().storagePrefix(config.etcd().keyPrefix());
        this.allocated = MultiGauge.builder("whereabouts_ippool_allocated_addresses")
                .description("Addresses allocated in the pool").register(registry);
        this.capacity = MultiGauge.builder("whereabouts_ippool_capacity_addresses")
                .description("Addresses the pool's range can hand out (network and broadcast excluded)")
                .register(registry);
        this.utilisation = MultiGauge.builder("whereabouts_ippool_utilization_ratio")
                .description("Allocated addresses as a share of capacity, 0 to 1").register(registry);
        this.allocations = MultiGauge.builder("whereabouts_ippool_allocations")
                .description("Allocations per pool (the Telekom Whereabouts fork's name)").register(registry);
        refresher.scheduleWithFixedDelay(this::refresh, 0, config.metrics().poolRefreshInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void refresh() {
        List<KeyValue> pools;
        try {
            pools = store.listNotOlderThan(prefix, 0).items();
        } catch (RuntimeException e) {
            return; // the cache is (re)loading: keep the last values
        }
        List<MultiGauge.Row<?>> allocatedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> capacityRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ratioRows = new ArrayList<>();
        Map<String, Integer> perName = new HashMap<>();
        Map<String, Figures> current = new HashMap<>();
        for (KeyValue kv : pools) {
            Figures f = figures.get(kv.key());
            if (f == null || f.modRevision() != kv.modRevision()) {
                f = Figures.of(codec.decodeStored(kv.value()), kv.modRevision());
            }
            current.put(kv.key(), f);
            allocatedRows.add(MultiGauge.Row.of(f.tags(), f.used()));
            if (f.capacity() != null) {
                long c = f.capacity();
                capacityRows.add(MultiGauge.Row.of(f.tags(), c));
                ratioRows.add(MultiGauge.Row.of(f.tags(), c == 0 ? 0 : (double) f.used() / c));
            }
            perName.merge(f.name(), f.used(), Integer::sum);
        }
        figures = current;
        allocated.register(allocatedRows, true);
        capacity.register(capacityRows, true);
        utilisation.register(ratioRows, true);
        List<MultiGauge.Row<?>> fork = new ArrayList<>();
        perName.forEach((name, used) -> fork.add(MultiGauge.Row.of(Tags.of("pool", name), used)));
        allocations.register(fork, true);
    }

    /** One pool's figures at one revision: only pools that changed since the last refresh are decoded again. */
    private record Figures(long modRevision, String name, Tags tags, int used, Long capacity) {
        static Figures of(JsonNode pool, long modRevision) {
            String name = pool.path("metadata").path("name").asText();
            Tags tags = Tags.of("namespace", pool.path("metadata").path("namespace").asText(), "pool", name,
                    "range", pool.path("spec").path("range").asText(""));
            return new Figures(modRevision, name, tags, pool.path("spec").path("allocations").size(),
                    IPPool.capacity(pool).orElse(null));
        }
    }

    /** Written only by the refresher thread. */
    private Map<String, Figures> figures = Map.of();

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }
}
