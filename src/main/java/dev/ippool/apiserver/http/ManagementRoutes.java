package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.Status;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.security.Guard;
import dev.ippool.apiserver.security.RequestInfo;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code /metrics} on the management port, where Prometheus looks for kube-apiserver's metrics: the Prometheus
 * text format (0.0.4), as kube writes it, unless the scraper asks for OpenMetrics. With
 * {@code ippool.metrics.require-auth}, scrapers authenticate as API clients do (a token), and RBAC, when
 * configured, must allow {@code get} on the non-resource URL {@code /metrics}.
 */
@Singleton
public class ManagementRoutes {

    private final Guard guard;
    private final Codec codec;
    private final boolean requireAuth;

    public ManagementRoutes(Guard guard, Codec codec, IppoolConfig config) {
        this.guard = guard;
        this.codec = codec;
        this.requireAuth = config.metrics().requireAuth();
    }

    void install(@Observes ManagementInterface management) {
        management.router().get("/metrics").handler(this::metrics);
        if (requireAuth) {
            management.router().get("/q/metrics").order(-10).handler(ctx -> {
                if (allowed(ctx)) {
                    ctx.next();
                }
            });
        }
    }

    private void metrics(RoutingContext ctx) {
        if (requireAuth && !allowed(ctx)) {
            return;
        }
        String accept = ctx.request().getHeader("Accept");
        if (accept == null || !accept.contains("application/openmetrics-text")) {
            ctx.request().headers().set("Accept", "text/plain; version=0.0.4; charset=utf-8");
        }
        ctx.reroute("/q/metrics");
    }

    /** 401 without valid credentials, 403 when RBAC denies; answers and returns false in those cases. */
    private boolean allowed(RoutingContext ctx) {
        Guard.Identity identity = guard.authenticate(ctx.request().getHeader("Authorization"), null);
        RequestInfo info = RequestInfo.parse("GET", "/metrics", false);
        Status refusal = identity.unauthorized() || identity.user().isAnonymous()
                ? ApiException.of(401, "Unauthorized", "Unauthorized").status()
                : guard.authorize(identity.user(), info) ? null : Gatekeeper.forbidden(identity.user(), info);
        if (refusal == null) {
            return true;
        }
        ctx.response().setStatusCode(refusal.code()).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(codec.encode(refusal)));
        return false;
    }
}
