package dev.ippool.apiserver.config;

import dev.ippool.apiserver.storage.etcd.Compactor;
import dev.ippool.apiserver.storage.etcd.EtcdStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the {@link Compactor} every {@code ippool.etcd.compaction-interval} (kube's default: 5 min). */
@Singleton
public class CompactionSchedule {

    private final EtcdStore etcd;
    private final IppoolConfig config;
    private ScheduledExecutorService scheduler;

    public CompactionSchedule(EtcdStore etcd, IppoolConfig config) {
        this.etcd = etcd;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        long interval = config.etcd().compactionInterval().toMillis();
        if (interval <= 0) {
            return;
        }
        Compactor compactor = new Compactor(etcd.client(), config.etcd().requestTimeout());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etcd-compactor");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(compactor::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
