package dev.ippool.apiserver.metrics;

import io.quarkus.vertx.http.ManagementInterface;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code /metrics} on the management port, where Prometheus looks for kube-apiserver's metrics: the Prometheus
 * text format (0.0.4), as kube writes it, unless the scraper asks for OpenMetrics.
 */
@Singleton
public class ManagementRoutes {

    void install(@Observes ManagementInterface management) {
        management.router().get("/metrics").handler(ctx -> {
            String accept = ctx.request().getHeader("Accept");
            if (accept == null || !accept.contains("application/openmetrics-text")) {
                ctx.request().headers().set("Accept", "text/plain; version=0.0.4; charset=utf-8");
            }
            ctx.reroute("/q/metrics");
        });
    }
}
