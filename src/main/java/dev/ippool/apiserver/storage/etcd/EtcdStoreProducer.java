package dev.ippool.apiserver.storage.etcd;

import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.dev.DevEtcd;
import dev.ippool.apiserver.storage.Store;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** Produces the one {@link Store} of the application from {@code ippool.etcd.*}. */
@Singleton
public class EtcdStoreProducer {

    @Produces
    @Singleton
    // Built at start-up on the main thread: jetcd creates its own Vert.x and warns when built on a Vert.x context.
    @Startup
    EtcdStore store(IppoolConfig config, Instance<DevEtcd> devEtcd) {
        IppoolConfig.Etcd etcd = config.etcd();
        List<String> endpoints = etcd.endpoints().filter(list -> !list.isEmpty())
                .orElseGet(() -> {
                    if (devEtcd.isResolvable()) {
                        return List.of(devEtcd.get().endpoint());
                    }
                    throw new IllegalStateException(
                            "ippool.etcd.endpoints is not set: set ETCD_ENDPOINTS to etcd's client URLs");
                });
        return new EtcdStore(EtcdStore.connect(endpoints, etcd.requestTimeout(), etcd.maxInboundMessageBytes()),
                etcd.requestTimeout());
    }

    void close(@Disposes EtcdStore store) {
        store.close();
    }
}
