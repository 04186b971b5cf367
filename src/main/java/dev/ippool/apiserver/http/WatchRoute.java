package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.ListOptions;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.registry.EventView;
import dev.ippool.apiserver.registry.Views;
import dev.ippool.apiserver.registry.Watches;
import dev.ippool.apiserver.metrics.ApiMetrics;
import dev.ippool.apiserver.storage.Store;
import dev.ippool.apiserver.storage.cache.CachingStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Watch requests, answered at the Vert.x level: Quarkus REST writes a streamed {@code application/json} body as
 * one JSON array and holds the headers back until the first item, while watch clients need the head at once and
 * bare newline-separated events. Everything that is not a watch goes on to the JAX-RS resources.
 */
@Singleton
public class WatchRoute {

    private static final Logger LOG = Logger.getLogger(WatchRoute.class);

    private final Registries registries;
    private final Codec codec;
    private final IppoolConfig config;
    private final Counter evicted;
    private final java.util.Map<Registries.Entry, ApiMetrics.Watch> meters = new java.util.HashMap<>();

    public WatchRoute(Registries registries, Codec codec, IppoolConfig config, MeterRegistry registry,
            ApiMetrics metrics, Store store) {
        this.registries = registries;
        this.codec = codec;
        this.config = config;
        this.evicted = Counter.builder("ippool.watch.evicted")
                .description("Watchers closed because they could not keep up").register(registry);
        for (Registries.Entry e : registries.entries()) {
            var d = e.definition();
            String prefix = d.storagePrefix(config.etcd().keyPrefix());
            meters.put(e, metrics.watch(d.group(), d.version(), d.kind(), d.plural(),
                    () -> store instanceof CachingStore cache ? cache.watcherCount(prefix) : 0));
        }
    }

    void install(@Observes Router router) {
        router.route(HttpMethod.GET, "/apis/*").order(1000).handler(this::handle);
    }

    /** The parts of a watch path: {@code /apis/g/v[/watch][/namespaces/ns]/plural[/name]}. */
    private record Target(String group, String version, String namespace, String plural, String name,
            boolean forced) {
    }

    private void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        // most requests are not watches: decide that before parsing the path or copying the query
        boolean watch = watchParam(ctx, true);
        Target target = watch || path.contains("/watch/") ? parse(path) : null;
        if (target == null || !(target.forced() || watch)) {
            ctx.next();
            return;
        }
        Query query = Query.of(ctx.queryParams());
        if (target == null || !(target.forced() || query.bool("watch"))) {
            ctx.next();
            return;
        }
        Registries.Entry entry = registries.find(target.group(), target.version(), target.plural()).orElse(null);
        if (entry == null) {
            if (target.forced()) {
                ErrorMappers.pageNotFound(ctx.response());
            } else {
                ctx.next();
            }
            return;
        }
        ctx.vertx().<Watches.Plan>executeBlocking(() -> {
            ListOptions options = withName(query.listOptions(), target.name());
            Responses.Target media = Responses.negotiate(ctx.request().getHeader("Accept"));
            EventView view = entry.views().eventView(media.as(), media.metaVersion(),
                    Views.include(query.string("includeObject")));
            return entry.watches().prepare(target.namespace(), options, view);
        }, false).onComplete(prepared -> {
            if (prepared.failed()) {
                fail(ctx.response(), prepared.cause());
                return;
            }
            stream(ctx, entry, prepared.result(), query);
        });
    }

    private void stream(RoutingContext ctx, Registries.Entry entry, Watches.Plan plan, Query query) {
        long maxUnsent = config.watch().maxBufferedBytes();
        if (WebSocketHandshake.requested(ctx.request())) {
            if (WebSocketHandshake.refused(ctx.request())) {
                return;
            }
            ctx.request().toWebSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    LOG.debug("websocket upgrade failed", upgraded.cause());
                    return;
                }
                VertxSink.Wire wire = new VertxSink.WebSocket(upgraded.result(), ctx.request().connection());
                start(ctx, plan, query, new VertxSink(wire, evicted, meters.get(entry), maxUnsent));
            });
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-cache, private");
        // an empty write sends the head now: clients wait for it before they count the watch as open
        response.write(io.vertx.core.buffer.Buffer.buffer());
        start(ctx, plan, query, new VertxSink(new VertxSink.Chunked(response), evicted, meters.get(entry), maxUnsent));
    }

    private void start(RoutingContext ctx, Watches.Plan plan, Query query, VertxSink sink) {
        ctx.vertx().<Watches.Plan.Stream>executeBlocking(() -> plan.start(sink), false).onComplete(started -> {
            if (started.failed()) {
                LOG.error("watch failed to start", started.cause());
                sink.end();
                return;
            }
            Watches.Plan.Stream stream = started.result();
            long timeoutMillis = timeoutMillis(query);
            long deadline = ctx.vertx().setTimer(timeoutMillis, t -> stream.close());
            long bookmarks = plan.bookmarks()
                    ? ctx.vertx().setPeriodic(config.watch().bookmarkInterval().toMillis(), t -> stream.bookmark())
                    : -1;
            long lastBookmark = plan.bookmarks() && timeoutMillis > 2000
                    ? ctx.vertx().setTimer(timeoutMillis - 2000, t -> stream.bookmark()) : -1;
            Runnable release = () -> {
                ctx.vertx().cancelTimer(deadline);
                ctx.vertx().cancelTimer(bookmarks);
                ctx.vertx().cancelTimer(lastBookmark);
                stream.close();
            };
            sink.onEnd(release);
        });
    }

    /** {@code timeoutSeconds}, or kube's default: a random time in [1800 s, 3600 s). */
    private static long timeoutMillis(Query query) {
        Long seconds = query.optionalLong("timeoutSeconds");
        if (seconds != null && seconds > 0) {
            return seconds * 1000;
        }
        return ThreadLocalRandom.current().nextLong(1800, 3600) * 1000;
    }

    /** A watch on {@code /watch/.../name} is a watch on the collection with {@code metadata.name=<name>}. */
    private static ListOptions withName(ListOptions o, String name) {
        if (name == null) {
            return o;
        }
        String field = o.fieldSelector().isEmpty() ? "metadata.name=" + name
                : o.fieldSelector() + ",metadata.name=" + name;
        return new ListOptions(o.labelSelector(), field, o.resourceVersion(), o.resourceVersionMatch(), o.limit(),
                o.continueToken(), true, o.sendInitialEvents(), o.allowWatchBookmarks(), o.timeoutSeconds());
    }

    /** The {@code watch} query parameter as kube reads it; {@code ifMalformed} when the query cannot be parsed. */
    static boolean watchParam(RoutingContext ctx, boolean ifMalformed) {
        try {
            String value = ctx.queryParams().get("watch");
            return value != null && Query.kubeBool(value);
        } catch (RuntimeException e) {
            return ifMalformed;
        }
    }

    static Target parse(String path) {
        if (path == null || !path.startsWith("/apis/")) {
            return null;
        }
        List<String> parts = Arrays.asList(path.substring("/apis/".length()).split("/"));
        if (parts.size() < 3) {
            return null;
        }
        String group = parts.get(0);
        String version = parts.get(1);
        List<String> rest = parts.subList(2, parts.size());
        boolean forced = rest.get(0).equals("watch");
        if (forced) {
            rest = rest.subList(1, rest.size());
        }
        if (rest.size() == 1) {
            return new Target(group, version, null, rest.get(0), null, forced);
        }
        if (rest.size() == 3 && rest.get(0).equals("namespaces")) {
            return new Target(group, version, rest.get(1), rest.get(2), null, forced);
        }
        if (forced && rest.size() == 4 && rest.get(0).equals("namespaces")) {
            return new Target(group, version, rest.get(1), rest.get(2), rest.get(3), true);
        }
        return null;
    }

    private void fail(HttpServerResponse response, Throwable error) {
        ErrorMappers.write(response, codec, ErrorMappers.statusOf(error), false);
    }
}
