package dev.ippool.apiserver.metrics;

import io.quarkus.vertx.http.ManagementInterface;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** {@code /metrics} on the management port, where Prometheus looks for kube-apiserver's metrics. */
@Singleton
public class ManagementRoutes {

    void install(@Observes ManagementInterface management) {
        management.router().get("/metrics").handler(ctx -> ctx.reroute("/q/metrics"));
    }
}
