package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.Status;
import dev.ippool.apiserver.api.StatusDetails;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.metrics.ApiMetrics;
import dev.ippool.apiserver.security.Guard;
import dev.ippool.apiserver.security.RequestInfo;
import dev.ippool.apiserver.security.User;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The filters kube-apiserver runs before any handler, in its order: audit ID, authentication (401),
 * authorization (403), max-in-flight (429) and the request timeout (504); and one audit line per request.
 * Probes are open to anyone. A Vert.x route ahead of everything, so watches and JAX-RS resources alike pass it.
 */
@Singleton
public class Gatekeeper {

    static final String USER = "ippool.user";

    private final Guard guard;
    private final Codec codec;
    private final AuditLog audit;
    private final IppoolConfig.Limits limits;
    private final AtomicInteger readOnly = new AtomicInteger();
    private final AtomicInteger mutating = new AtomicInteger();

    private final ApiMetrics metrics;

    public Gatekeeper(Guard guard, Codec codec, AuditLog audit, IppoolConfig config, ApiMetrics metrics) {
        this.guard = guard;
        this.codec = codec;
        this.audit = audit;
        this.limits = config.limits();
        this.metrics = metrics;
        metrics.inFlight(readOnly, mutating);
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        String auditId = auditId();
        response.putHeader("Audit-Id", auditId);
        long started = System.nanoTime();
        String path = ctx.normalizedPath();
        RequestInfo info = RequestInfo.parse(request.method().name(), path, WatchRoute.watchParam(ctx, false));
        if (Probes.isProbe(path)) {
            ctx.next();
            return;
        }
        Guard.ProxyHeaders proxy = new Guard.ProxyHeaders(request.getHeader("X-Remote-User"),
                request.headers().getAll("X-Remote-Group"));
        // whoever the caller is, these never travel further: only the Guard may read them, and only from a proxy
        // (found by walking the headers: names() builds a sorted set on every request)
        List<String> remote = null;
        for (Map.Entry<String, String> header : request.headers()) {
            if (header.getKey().regionMatches(true, 0, "x-remote-", 0, 9)) {
                remote = remote == null ? new ArrayList<>() : remote;
                remote.add(header.getKey());
            }
        }
        if (remote != null) {
            remote.forEach(request.headers()::remove);
        }
        Guard.Identity identity = guard.authenticate(request.getHeader("Authorization"), peer(request), proxy);
        User user = identity.user();
        boolean apply = String.valueOf(request.getHeader("Content-Type")).startsWith("application/apply-patch");
        // the routing context's query, which the routes after this one read too (request.getParam decodes again)
        boolean dryRun = "All".equals(queryParam(ctx, "dryRun"));
        Runnable record = () -> {
            long nanos = System.nanoTime() - started;
            audit.record(auditId, user, info, request, response.getStatusCode(), nanos / 1_000_000);
            metrics.request(info, apply, dryRun, response.getStatusCode(), nanos);
        };
        Status refused = identity.unauthorized() ? ApiException.of(401, "Unauthorized", "Unauthorized").status()
                : guard.authorize(user, info) ? null : forbidden(user, info);
        if (refused != null) {
            ctx.addEndHandler(v -> record.run());
            fail(response, refused);
            return;
        }
        ctx.put(USER, user);
        if (info.verb().equals("watch")) {
            ctx.addEndHandler(v -> record.run());
            ctx.next();
            return;
        }
        AtomicInteger inFlight = info.mutating() ? mutating : readOnly;
        int limit = info.mutating() ? limits.maxMutatingInFlight() : limits.maxReadonlyInFlight();
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            ctx.addEndHandler(v -> record.run());
            // kube's maxinflight filter answers in plain text, with Go's http.Error
            response.setStatusCode(429).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("X-Content-Type-Options", "nosniff").putHeader("Retry-After", "1")
                    .end("Too many requests, please try again later.\n");
            return;
        }
        long timeout = (info.mutating() ? limits.writeTimeout() : limits.readTimeout()).toMillis();
        long timer = ctx.vertx().setTimer(timeout, t -> {
            if (!response.headWritten() && !response.ended() && !response.closed()) {
                fail(response, Status.failure(504, "Timeout",
                        "Timeout: request did not complete within the allotted timeout", StatusDetails.empty()));
            }
        });
        // one end handler, not two: each is a list entry and a completion the router runs per request
        ctx.addEndHandler(v -> {
            inFlight.decrementAndGet();
            ctx.vertx().cancelTimer(timer);
            record.run();
        });
        ctx.next();
    }

    /** A query parameter, or null; a query that does not parse is the handler's to answer. */
    private static String queryParam(RoutingContext ctx, String name) {
        try {
            return ctx.queryParams().get(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A random (version 4) UUID, as kube's audit IDs. An audit ID names a request, it guards nothing, so it needs
     * no SecureRandom: UUID.randomUUID() makes every request queue on one shared secure generator.
     */
    static String auditId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & ~(3L << 62)) | (1L << 63)).toString();
    }


    private static X509Certificate[] peer(HttpServerRequest request) {
        // the connection's own TLS, not the router's request.isSSL(), which parses forwarding headers each call
        if (!request.connection().isSsl()) {
            return null;
        }
        try {
            Certificate[] chain = request.connection().sslSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? new X509Certificate[] {x} : null;
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            return null;
        }
    }

    /** responsewriters.Forbidden: kube's forbiddenMessage inside NewForbidden. */
    static Status forbidden(User user, RequestInfo r) {
        if (!r.resourceRequest()) {
            return Status.failure(403, "Forbidden", "forbidden: User " + FieldError.quote(user.name()) + " cannot "
                    + r.verb() + " path " + FieldError.quote(r.path()), StatusDetails.empty());
        }
        String resource = r.subresource().isEmpty() ? r.resource() : r.resource() + "/" + r.subresource();
        String scope = r.namespace().isEmpty() ? " at the cluster scope"
                : " in the namespace " + FieldError.quote(r.namespace());
        String why = "User " + FieldError.quote(user.name()) + " cannot " + r.verb() + " resource "
                + FieldError.quote(resource) + " in API group " + FieldError.quote(r.apiGroup()) + scope;
        String qualified = r.apiGroup().isEmpty() ? r.resource() : r.resource() + "." + r.apiGroup();
        String message = r.name().isEmpty() ? qualified + " is forbidden: " + why
                : qualified + " " + FieldError.quote(r.name()) + " is forbidden: " + why;
        return Status.failure(403, "Forbidden", message, StatusDetails.of(r.name().isEmpty() ? null : r.name(),
                r.apiGroup().isEmpty() ? null : r.apiGroup(), r.resource()));
    }

    private void fail(HttpServerResponse response, Status status) {
        response.setStatusCode(status.code()).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-cache, private")
                .end(Buffer.buffer(codec.encode(status)));
    }
}
