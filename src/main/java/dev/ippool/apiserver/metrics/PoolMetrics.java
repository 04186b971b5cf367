package dev.ippool.apiserver.metrics;

import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.kinds.IPPool;
import dev.ippool.apiserver.storage.Change;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.Page;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.storage.Store;
import dev.ippool.apiserver.storage.Subscription;
import dev.ippool.apiserver.storage.WatchListener;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>A refresh works on what changed since the last one, which a watch on the cache collects: listing every pool
 * each time cost 150 ms of CPU every 5 s with 100,000 pools stored, half the service's CPU while it served one
 * request at a time. The whole list is read only at the start and after the watch ended (a cache reload).
 */
@Singleton
@Startup
public class PoolMetrics extends Collector {

    private static final List<String> POOL_LABELS = List.of("namespace", "pool", "range");

    private final Store store;
    private final Codec codec;
    private final String prefix;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pool-metrics");
        t.setDaemon(true);
        return t;
    });
    /** Per pool (by key) its figures at the last refresh: written by the refresher thread only, read by scrapes. */
    private final Map<String, PoolFigures> pools = new ConcurrentHashMap<>();
    /**
     * Per key, the latest change the watch delivered since the refresher last looked (empty: deleted). The watch
     * only records; decoding waits for the refresher, so a pool written a hundred times between two refreshes is
     * decoded once.
     */
    private final Map<String, Optional<KeyValue>> changed = new ConcurrentHashMap<>();
    /** Set when the watch has ended: the next refresh lists every pool again and watches from there. */
    private volatile boolean relist = true;
    /** The refresher thread's current watch. */
    private Subscription watch;

    public PoolMetrics(Store store, Codec codec, IppoolConfig config, Instance<PrometheusMeterRegistry> prometheus) {
        this.store = store;
        this.codec = codec;
        this.prefix = IPPool.definition().storagePrefix(config.etcd().keyPrefix());
        if (prometheus.isResolvable()) {
            prometheus.get().getPrometheusRegistry().register(this);
        }
        refresher.scheduleWithFixedDelay(this::refreshOrRelistNextTime, 0, config.metrics().poolRefreshInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A failed refresh would end the schedule: the next one starts again from the whole list. */
    private void refreshOrRelistNextTime() {
        try {
            refresh();
        } catch (RuntimeException e) {
            relist = true;
        }
    }

    void refresh() {
        if (relist && !relist()) {
            return; // the cache is (re)loading: keep the last values
        }
        for (String key : changed.keySet()) {
            Optional<KeyValue> latest = changed.remove(key);
            if (latest == null) {
                continue;
            }
            if (latest.isEmpty()) {
                pools.remove(key);
            } else {
                pools.put(key, figures(latest.get()));
            }
        }
    }

    /** Reads every pool, and watches for what changes after that read; false if the cache cannot serve yet. */
    private boolean relist() {
        if (watch != null) {
            watch.close();
        }
        changed.clear();
        relist = false;
        Page listed;
        try {
            listed = store.listNotOlderThan(prefix, 0);
            watch = store.watch(prefix, listed.revision(), new WatchListener() {
                @Override
                public void onChange(Change change) {
                    changed.put(change.key(), Optional.ofNullable(change.type() == Change.Type.DELETE ? null
                            : change.current()));
                }

                @Override
                public void onError(StorageException error) {
                    relist = true;
                }
            });
        } catch (RuntimeException e) {
            relist = true;
            return false;
        }
        Map<String, PoolFigures> now = new HashMap<>(listed.items().size() * 2);
        for (KeyValue kv : listed.items()) {
            now.put(kv.key(), figures(kv));
        }
        pools.keySet().retainAll(now.keySet());
        pools.putAll(now);
        return true;
    }

    /** {@code kv}'s figures: the last refresh's if the pool has not changed since, else decoded now. */
    private PoolFigures figures(KeyValue kv) {
        PoolFigures f = pools.get(kv.key());
        return f != null && f.modRevision() == kv.modRevision() ? f
                : PoolFigures.read(codec.mapper().getFactory(), kv.value(), kv.modRevision());
    }

    /** The series of the last refresh, in the names, help texts and label order the meters had. */
    @Override
    public List<MetricFamilySamples> collect() {
        Collection<PoolFigures> current = pools.values();
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
        Subscription current = watch;
        if (current != null) {
            current.close();
        }
    }
}
