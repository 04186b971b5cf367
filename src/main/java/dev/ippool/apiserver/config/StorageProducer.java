package dev.ippool.apiserver.config;

import dev.ippool.apiserver.dev.DevEtcd;
import dev.ippool.apiserver.kinds.Catalog;
import dev.ippool.apiserver.storage.MeteredStore;
import dev.ippool.apiserver.storage.Store;
import dev.ippool.apiserver.storage.cache.CachingStore;
import dev.ippool.apiserver.storage.etcd.EtcdStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.util.List;

/** Produces the one {@link Store} of the application from {@code ippool.etcd.*}. */
@Singleton
public class StorageProducer {

    @Produces
    @Singleton
    @Typed(EtcdStore.class)
    // Built at start-up on the main thread: jetcd creates its own Vert.x and warns when built on a Vert.x context.
    @Startup
    EtcdStore store(IppoolConfig config, Instance<DevEtcd> devEtcd, Vertx vertx) {
        IppoolConfig.Etcd etcd = config.etcd();
        List<String> endpoints = etcd.endpoints().filter(list -> !list.isEmpty())
                .orElseGet(() -> {
                    if (devEtcd.isResolvable()) {
                        return List.of(devEtcd.get().endpoint());
                    }
                    throw new IllegalStateException(
                            "ippool.etcd.endpoints is not set: set ETCD_ENDPOINTS to etcd's client URLs");
                });
        return EtcdStore.open(endpoints, etcd.requestTimeout(), etcd.maxInboundMessageBytes(), vertx);
    }

    void close(@Disposes EtcdStore store) {
        store.close();
    }

    /** The store the registries use: etcd behind one watch cache per served resource. */
    @Produces
    @Singleton
    @Startup
    Store cached(EtcdStore etcd, IppoolConfig config, MeterRegistry meters) {
        List<String> prefixes = Catalog.standard().resources().stream()
                .map(r -> r.storagePrefix(config.etcd().keyPrefix())).toList();
        CachingStore store = new CachingStore(new MeteredStore(etcd, meters, config.etcd().keyPrefix()), prefixes,
                config.watch().cacheCapacity(), config.watch().cacheMaxBytes());
        // kube-apiserver's gauges of the same names and labels, so existing dashboards read them
        Catalog.standard().resources().forEach(r -> {
            String prefix = r.storagePrefix(config.etcd().keyPrefix());
            Gauge.builder("apiserver_registered_watchers", store, s -> s.watcherCount(prefix))
                    .description("Number of currently registered watchers for a given resources")
                    .tags("group", r.group(), "version", r.version(), "kind", r.kind()).register(meters);
            Gauge.builder("apiserver_storage_objects", store, s -> s.objectCount(prefix))
                    .description("Number of stored objects at the time of last check split by kind.")
                    .tag("resource", r.plural() + "." + r.group()).register(meters);
        });
        return store;
    }

    void close(@Disposes Store store) {
        if (store instanceof CachingStore cache) {
            cache.close();
        }
    }
}
