package dev.ippool.apiserver.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.quarkus.micrometer.runtime.binder.JVMInfoBinder;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's metrics ({@code jvm_*}), the binders Quarkus's own JVM binder registers, bound a second after the
 * service has started rather than by Quarkus on the main thread during the start: there they cost 45 ms of the
 * time to the first answer (B9 in the README), and bound right after the start they competed with the first
 * requests for the 2 cores. Nobody scrapes them in the first second. {@code quarkus.micrometer.binder.jvm} is off
 * in application.properties, so each is bound once.
 */
@Singleton
public class JvmMetrics {

    private static final long DELAY_MILLIS = 1000;

    private final MeterRegistry meters;
    /** The binders that hold a listener or a thread, closed at shutdown as Quarkus closes them. */
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private boolean closed;

    public JvmMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void bind(@Observes StartupEvent started) {
        Executor ownThread = task -> {
            Thread thread = new Thread(task, "jvm-metrics");
            thread.setDaemon(true);
            thread.start();
        };
        CompletableFuture.runAsync(this::bindAll,
                CompletableFuture.delayedExecutor(DELAY_MILLIS, TimeUnit.MILLISECONDS, ownThread));
    }

    private synchronized void bindAll() {
        if (closed) {
            return;
        }
        List<MeterBinder> binders = new ArrayList<>(List.of(new ClassLoaderMetrics(), new JvmMemoryMetrics(),
                new JvmThreadMetrics(), new JVMInfoBinder()));
        JvmHeapPressureMetrics pressure = new JvmHeapPressureMetrics();
        binders.add(pressure);
        closeables.add(pressure);
        // as Quarkus: a native image has no GC notifications to count
        if (ImageMode.current() == ImageMode.JVM) {
            JvmGcMetrics gc = new JvmGcMetrics();
            binders.add(gc);
            closeables.add(gc);
        }
        binders.forEach(binder -> binder.bindTo(meters));
    }

    synchronized void close(@Observes ShutdownEvent stopping) throws Exception {
        closed = true;
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }
}
