package dev.ippool.bench;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * B5's yardstick: what this machine can fan out at all. A bare Vert.x server, in its own JVM like the service,
 * that does the least any watch server must: on each write, one chunk of the service's frame size to every
 * open chunked watch, from the watch's own event loop (as the service does). No etcd, JSON, authentication,
 * audit or cache. B5 drives it with the same watchers and writer as the service, so the two runs differ only in
 * what the service adds.
 *
 * <p>Usage: {@code FanOutCeiling <port> <frame bytes>}; prints {@code listening} once it accepts connections.
 */
public final class FanOutCeiling {

    private record Watch(Context context, HttpServerResponse response) {
    }

    private FanOutCeiling() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int frameBytes = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(); // 2 × cores event loops, as Quarkus gives the service
        List<Watch> watches = new CopyOnWriteArrayList<>();
        AtomicLong revision = new AtomicLong(1);
        vertx.createHttpServer().requestHandler(request -> {
            if (request.method() == HttpMethod.GET && request.getParam("watch") != null) {
                HttpServerResponse response = request.response().setChunked(true)
                        .putHeader("Content-Type", "application/json");
                response.write(Buffer.buffer()); // the head now, as the service sends it
                Watch watch = new Watch(Vertx.currentContext(), response);
                watches.add(watch);
                response.closeHandler(v -> watches.remove(watch));
                return;
            }
            // anything else is a write: a new revision, fanned out, then answered with it
            request.body().onSuccess(ignored -> {
                long rv = revision.incrementAndGet();
                byte[] frame = frame(rv, frameBytes);
                for (Watch w : watches) {
                    w.context().runOnContext(v -> w.response().write(Buffer.buffer(Unpooled.wrappedBuffer(frame))));
                }
                request.response().putHeader("Content-Type", "application/json")
                        .end("{\"metadata\":{\"resourceVersion\":\"" + rv + "\"}}\n");
            });
        }).listen(port).toCompletionStage().toCompletableFuture().join();
        System.out.println("listening");
    }

    /** A MODIFIED line of {@code size} bytes whose object carries {@code rv}, as B5's watchers read it. */
    static byte[] frame(long rv, int size) {
        byte[] head = ("{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"resourceVersion\":\"" + rv
                + "\"},\"pad\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}}\n".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[Math.max(size, head.length + tail.length)];
        System.arraycopy(head, 0, frame, 0, head.length);
        Arrays.fill(frame, head.length, frame.length - tail.length, (byte) 'x');
        System.arraycopy(tail, 0, frame, frame.length - tail.length, tail.length);
        return frame;
    }
}
