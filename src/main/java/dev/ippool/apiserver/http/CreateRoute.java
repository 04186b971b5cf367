package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.RawJson;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.registry.Warnings;
import dev.ippool.apiserver.registry.Written;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The plain create, a POST of a small JSON object answered in JSON, served at the Vert.x level: the same
 * {@code Creator} as {@link ResourceEndpoints#create}, the same Status for every error, the same headers, without
 * Quarkus REST's dispatch and response writing around it.
 *
 * <p>Why: a create's latency is what an allocation waits for, and B2 allows 0.3 ms over etcd's own serial txn.
 * Timed inside the service at one create in flight (a private etcd, {@code hey -c 1}), Quarkus REST took about
 * 48 µs from the {@link Gatekeeper} to the resource method and 37 µs from the etcd answer to the response write,
 * against 16 µs and 2 µs here, of ~340 µs that were not etcd's.
 *
 * <p>What this route does not serve goes on to the resource, decided from the request's head before its body is
 * read: dryRun (its existence check blocks), a body over {@link Continuations#EVENT_LOOP_MAX_BYTES} or of no
 * stated length, another media type than JSON either way, a {@code meta.k8s.io} view, {@code pretty}, an
 * {@code Expect} header, a malformed query, and a resource nothing serves.
 */
@Singleton
public class CreateRoute {

    private final Registries registries;
    private final BodyDecoder decoder;
    private final Codec codec;

    public CreateRoute(Registries registries, BodyDecoder decoder, Codec codec) {
        this.registries = registries;
        this.decoder = decoder;
        this.codec = codec;
    }

    void install(@Observes Router router) {
        // after the Gatekeeper (-1000), ahead of Quarkus REST
        router.route(HttpMethod.POST, "/apis/:group/:version/namespaces/:namespace/:plural").order(900)
                .handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Registries.Entry entry = registries.find(ctx.pathParam("group"), ctx.pathParam("version"),
                ctx.pathParam("plural")).orElse(null);
        WriteOptions options = entry == null ? null : plainCreate(request.headers(), ctx::queryParams);
        if (options == null) {
            ctx.next();
            return;
        }
        String namespace = ctx.pathParam("namespace");
        String contentType = request.getHeader("Content-Type");
        request.body().onComplete(read -> {
            if (read.failed()) {
                answer(ctx.response(), null, read.cause(), null);
                return;
            }
            Warnings warnings = new Warnings();
            CompletionStage<Written> created;
            try {
                created = entry.registry().creator().createAsync(namespace,
                        decoder.object(contentType, read.result().getBytes()), options, warnings);
            } catch (RuntimeException e) {
                answer(ctx.response(), null, e, warnings);
                return;
            }
            Continuations.onThisLoop(created, (written, error) -> answer(ctx.response(), written, error, warnings));
        });
        // Quarkus pauses a request until a handler takes its body, as Quarkus REST would
        request.resume();
    }

    /**
     * The create's options when this route serves a request with these headers and query, else null. The query
     * is parsed here: a malformed one goes on to the resource.
     */
    static WriteOptions plainCreate(MultiMap headers, Supplier<MultiMap> query) {
        String length = headers.get("Content-Length");
        String type = BodyDecoder.mediaType(headers.get("Content-Type"));
        if (length == null || headers.get("Expect") != null || !(type.isEmpty() || type.equals(Responses.JSON))) {
            return null;
        }
        try {
            if (Long.parseLong(length) > Continuations.EVENT_LOOP_MAX_BYTES) {
                return null;
            }
            Query parsed = Query.of(query.get());
            WriteOptions options = parsed.writeOptions().withUserAgent(headers.get("User-Agent"));
            return Responses.plainJson(headers, parsed) && !options.isDryRun() ? options : null;
        } catch (ApiException | IllegalArgumentException e) {
            // a 406, a length or query that does not parse: the resource answers them as it always has
            return null;
        }
    }

    /**
     * The created object or the error's Status, unless the response is answered already: the {@link Gatekeeper}'s
     * 504 went first (kube's timeout filter drops the handler's late answer too), or the client left.
     */
    private void answer(HttpServerResponse response, Written written, Throwable error, Warnings warnings) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        if (error != null) {
            ErrorMappers.write(response, codec, ErrorMappers.statusOf(error), false);
            return;
        }
        response.setStatusCode(201).putHeader("Content-Type", Responses.JSON)
                .putHeader("Cache-Control", "no-cache, private");
        warnings.messages().forEach(w -> response.headers().add("Warning", Responses.warning(w)));
        Object body = written.body();
        response.end(Buffer.buffer(body instanceof RawJson raw ? raw.bytes() : codec.encode(body, false)));
    }
}
