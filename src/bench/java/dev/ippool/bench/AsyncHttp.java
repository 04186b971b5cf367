package dev.ippool.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The load generator's HTTP client: Vert.x (Netty) on two event loops, HTTP/1.1 keep-alive, one connection per
 * request in flight. The JDK's HttpClient costs the generator more CPU per request than the server spends on a
 * cached GET on this 2-core machine (see B3-http-ceiling-livez), so it would measure itself.
 */
final class AsyncHttp implements AutoCloseable {

    /** A response: status and body. */
    record Reply(int status, String body, String trace) {
        boolean ok() {
            return status < 300;
        }
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    /**
     * Every request starts on one of these event-loop contexts. Started from another thread, the response's
     * callbacks may run after its body has already streamed past them: seen as 2xx answers with a
     * {@code Content-Length} but an empty body (against a bare Vert.x server too, so not the service's doing).
     */
    private final Context[] contexts = {vertx.getOrCreateContext(), vertx.getOrCreateContext()};
    private final AtomicLong next = new AtomicLong();
    private final HttpClient client;
    private final String token;

    AsyncHttp(String url, String token, int maxConnections) {
        URI u = URI.create(url);
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(u.getHost())
                .setDefaultPort(u.getPort()).setKeepAlive(true).setIdleTimeout(0).setConnectTimeout(30_000),
                new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
        this.token = token;
    }

    private RequestOptions options(HttpMethod method, String path) {
        RequestOptions o = new RequestOptions().setMethod(method).setURI(path).putHeader("User-Agent",
                "ippool-bench/1.0");
        return token == null ? o : o.putHeader("Authorization", "Bearer " + token);
    }

    CompletableFuture<Reply> send(String method, String path, String type, String body) {
        RequestOptions o = options(HttpMethod.valueOf(method), path);
        if (type != null) {
            o.putHeader("Content-Type", type);
        }
        return onEventLoop(() -> client.request(o)
                .compose(r -> body == null ? r.send() : r.send(body))
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString(),
                        // what to look for in the server's audit log when an answer is odd
                        "Audit-Id " + resp.getHeader("Audit-Id") + ", Content-Length "
                                + resp.getHeader("Content-Length") + ", Transfer-Encoding "
                                + resp.getHeader("Transfer-Encoding") + ", " + resp.version()))));
    }

    /**
     * Opens a watch; {@code lines} gets every line of its body on an event loop. Completes with the HTTP status
     * once the response head arrived (the server has registered the watch); {@code ended} runs if the stream ends.
     */
    CompletableFuture<Integer> watch(String path, Consumer<Buffer> lines, Runnable ended) {
        return onEventLoop(() -> client.request(options(HttpMethod.GET, path)).compose(r -> r.send()).map(resp -> {
            RecordParser parser = RecordParser.newDelimited("\n", lines::accept);
            resp.handler(parser);
            resp.endHandler(v -> ended.run());
            resp.exceptionHandler(e -> ended.run());
            return resp.statusCode();
        }));
    }

    private <T> CompletableFuture<T> onEventLoop(Supplier<Future<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        contexts[(int) (next.getAndIncrement() & 1)].runOnContext(v -> call.get().onComplete(done -> {
            if (done.succeeded()) {
                result.complete(done.result());
            } else {
                result.completeExceptionally(done.cause());
            }
        }));
        return result;
    }

    @Override
    public void close() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
