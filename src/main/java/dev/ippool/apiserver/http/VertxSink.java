package dev.ippool.apiserver.http;

import dev.ippool.apiserver.metrics.ApiMetrics;
import dev.ippool.apiserver.registry.WatchSink;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A watch's outgoing side. Writes never block: a watcher whose unsent bytes pass the limit is cut off (the
 * client re-watches from the last resourceVersion it received) and counted, so one slow client never holds up
 * the others or the server's memory.
 *
 * <p>The sink counts its own unsent bytes rather than asking {@code writeQueueFull()}: on HTTP/1.1 that
 * follows the connection's Netty water mark, and on HTTP/2 the stream's flow-control window (64 KiB unless
 * the client grants more), so it would evict a healthy watcher that merely received a burst.
 */
final class VertxSink implements WatchSink {

    /** How frames travel: a chunked HTTP body, or WebSocket text messages. */
    interface Wire {
        Future<Void> write(byte[] frame);

        /** Several frames in order; a chunked body sends them as one chunk, one flush. */
        default Future<Void> writeAll(List<byte[]> frames) {
            Future<Void> last = Future.succeededFuture();
            for (byte[] frame : frames) {
                last = write(frame);
            }
            return last;
        }

        /** A clean end: the terminating chunk, or a WebSocket close frame. */
        void end();

        /** Cut off at once: the client is not reading, so a clean end would only queue behind the backlog. */
        void abort();

        void onClose(Runnable closed);
    }

    private final Wire wire;
    /**
     * The connection's event loop. Frames queue here and one task per burst writes them: a watcher that fell
     * behind gets its backlog in one write and one flush instead of a task, a write and a syscall per event,
     * so a fan-out to many watchers gets cheaper per event exactly when it is loaded.
     */
    private final Context context;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private boolean drainScheduled;
    private final Counter evicted;
    private final ApiMetrics.Watch meters;
    private final long maxUnsentBytes;
    private long unsent;
    private boolean ended;
    private Runnable onEnd;

    VertxSink(Wire wire, Counter evicted, ApiMetrics.Watch meters, long maxUnsentBytes) {
        this.wire = wire;
        this.context = Vertx.currentContext();
        this.evicted = evicted;
        this.meters = meters;
        this.maxUnsentBytes = maxUnsentBytes;
        wire.onClose(this::end);
    }

    @Override
    public boolean send(byte[] frame) {
        boolean overflow;
        synchronized (this) {
            if (ended) {
                return false;
            }
            overflow = unsent + frame.length > maxUnsentBytes;
            if (overflow) {
                ended = true;
            } else {
                unsent += frame.length;
            }
        }
        if (overflow) {
            evicted.increment();
            meters.terminated().increment();
            wire.abort();
            released();
            return false;
        }
        meters.sent(frame.length);
        if (context == null) {
            wire.write(frame).onComplete(written -> sent(frame.length));
            return true;
        }
        boolean schedule;
        synchronized (this) {
            pending.addLast(frame);
            schedule = !drainScheduled;
            drainScheduled = true;
        }
        if (schedule) {
            context.runOnContext(v -> drain());
        }
        return true;
    }

    /** On the event loop: writes every queued frame, in order, at once. */
    private void drain() {
        List<byte[]> frames;
        synchronized (this) {
            drainScheduled = false;
            if (pending.isEmpty()) {
                return;
            }
            frames = new ArrayList<>(pending);
            pending.clear();
        }
        int bytes = frames.stream().mapToInt(f -> f.length).sum();
        wire.writeAll(frames).onComplete(written -> sent(bytes));
    }

    private synchronized void sent(int bytes) {
        unsent -= bytes;
    }

    @Override
    public void end() {
        boolean first;
        synchronized (this) {
            first = !ended;
            ended = true;
        }
        if (first) {
            if (context == null) {
                wire.end();
            } else {
                // behind any frames still queued for the event loop, so the last events are not lost
                context.runOnContext(v -> {
                    drain();
                    wire.end();
                });
            }
        }
        released();
    }

    private void released() {
        Runnable callback;
        synchronized (this) {
            callback = onEnd;
            onEnd = null;
        }
        if (callback != null) {
            callback.run();
        }
    }

    /** Runs {@code release} once when the stream ends, or at once if it already has. */
    void onEnd(Runnable release) {
        boolean now;
        synchronized (this) {
            now = ended;
            onEnd = now ? null : release;
        }
        if (now) {
            release.run();
        }
    }

    /** The chunked {@code 200} stream: one {@code {"type","object"}\n} per event. */
    record Chunked(HttpServerResponse response) implements Wire {
        @Override
        public Future<Void> write(byte[] frame) {
            // wrapping shares the frame's bytes among every watcher instead of copying them per connection
            return response.write(Buffer.buffer(Unpooled.wrappedBuffer(frame)));
        }

        @Override
        public Future<Void> writeAll(List<byte[]> frames) {
            return frames.size() == 1 ? write(frames.get(0))
                    : response.write(Buffer.buffer(Unpooled.wrappedBuffer(frames.toArray(byte[][]::new))));
        }

        @Override
        public void end() {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        }

        /** HTTP/1.1: closes the connection; HTTP/2: resets only this stream, not the client's other watches. */
        @Override
        public void abort() {
            if (!response.closed()) {
                response.reset();
            }
        }

        @Override
        public void onClose(Runnable closed) {
            response.closeHandler(v -> closed.run());
        }
    }

    /** kube's WebSocket watch: one text message per event, the same bytes as a chunked frame. */
    record WebSocket(ServerWebSocket socket, HttpConnection connection) implements Wire {
        @Override
        public Future<Void> write(byte[] frame) {
            return socket.writeTextMessage(new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public void end() {
            if (!socket.isClosed()) {
                socket.close();
            }
        }

        /** Closes the TCP connection: a close frame would wait behind the backlog the client is not reading. */
        @Override
        public void abort() {
            connection.close();
        }

        @Override
        public void onClose(Runnable closed) {
            socket.closeHandler(v -> closed.run());
        }
    }
}
