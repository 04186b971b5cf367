package dev.ippool.apiserver.metrics;

import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.kinds.IPPool;
import dev.ippool.apiserver.storage.Store;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pool utilisation, the view Whereabouts never had: per pool the allocated addresses, the capacity (the shared
 * {@link IPPool#capacity} rule) and their ratio, refreshed from the watch cache every few seconds (no etcd reads).
 * Also {@code whereabouts_ippool_allocations{pool}}, the name the Telekom Whereabouts fork exports. Pool labels
 * are bounded by the number of pools; no pod ever becomes a label.
 *
 * <p>The series are written at scrape time by a Prometheus collector from the last refresh's figures, as
 * kube-state-metrics writes its per-object series: one registered meter per pool made every pool created or
 * deleted a registry update, a fifth of the service's CPU while pools were created by the thousand.
 *
 * <p>A refresh works on what changed since the last one ({@link PoolTracker}).
 */
@Singleton
@Startup
public class PoolMetrics extends Collector {

    private static final List<String> POOL_LABELS = List.of("namespace", "pool", "range");

    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pool-metrics");
        t.setDaemon(true);
        return t;
    });
    private final PoolTracker tracker;

    public PoolMetrics(Store store, Codec codec, IppoolConfig config, Instance<PrometheusMeterRegistry> prometheus) {
        this.tracker = new PoolTracker(store, IPPool.definition().storagePrefix(config.etcd().keyPrefix()),
                codec.mapper().getFactory());
        if (prometheus.isResolvable()) {
            prometheus.get().getPrometheusRegistry().register(this);
        }
        refresher.scheduleWithFixedDelay(tracker::refresh, 0, config.metrics().poolRefreshInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The series of the last refresh, in the names, help texts and label order the meters had. */
    @Override
    public List<MetricFamilySamples> collect() {
        Collection<PoolFigures> current = tracker.figures();
        GaugeMetricFamily allocated = new GaugeMetricFamily("whereabouts_ippool_allocated_addresses",
                "Addresses allocated in the pool", POOL_LABELS);
        GaugeMetricFamily capacity = new GaugeMetricFamily("whereabouts_ippool_capacity_addresses",
                "Addresses the pool's range can hand out (network and broadcast excluded)", POOL_LABELS);
        GaugeMetricFamily utilisation = new GaugeMetricFamily("whereabouts_ippool_utilization_ratio",
                "Allocated addresses as a share of capacity, 0 to 1", POOL_LABELS);
        Map<String, Integer> perName = new TreeMap<>();
        for (PoolFigures f : current) {
            allocated.addMetric(f.labels(), f.used());
            if (f.capacity() != null) {
                capacity.addMetric(f.labels(), f.capacity());
                utilisation.addMetric(f.labels(), f.capacity() == 0 ? 0 : (double) f.used() / f.capacity());
            }
            perName.merge(f.name(), f.used(), Integer::sum);
        }
        GaugeMetricFamily forkName = new GaugeMetricFamily("whereabouts_ippool_allocations",
                "Allocations per pool (the Telekom Whereabouts fork's name)", List.of("pool"));
        perName.forEach((name, used) -> forkName.addMetric(List.of(name), used));
        List<MetricFamilySamples> families = new ArrayList<>();
        for (GaugeMetricFamily family : List.of(allocated, capacity, utilisation, forkName)) {
            if (!family.samples.isEmpty()) {
                families.add(family);
            }
        }
        return families;
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
        tracker.close();
    }
}
