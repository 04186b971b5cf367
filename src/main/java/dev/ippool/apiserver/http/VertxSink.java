package dev.ippool.apiserver.http;

import dev.ippool.apiserver.registry.WatchSink;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * A watch's HTTP response. Writes never block: a watcher whose unsent bytes pass the limit is cut off (the
 * client re-watches from the last resourceVersion it received) and counted, so one slow client never holds up
 * the others or the server's memory.
 *
 * <p>The sink counts its own unsent bytes rather than asking {@code writeQueueFull()}: on HTTP/1.1 that
 * follows the connection's Netty water mark, and on HTTP/2 the stream's flow-control window (64 KiB unless
 * the client grants more), so it would evict a healthy watcher that merely received a burst.
 */
final class VertxSink implements WatchSink {

    private final HttpServerResponse response;
    private final Counter evicted;
    private final long maxUnsentBytes;
    private long unsent;
    private boolean ended;
    private Runnable onEnd;

    VertxSink(HttpServerResponse response, Counter evicted, long maxUnsentBytes) {
        this.response = response;
        this.evicted = evicted;
        this.maxUnsentBytes = maxUnsentBytes;
        response.closeHandler(v -> end());
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
            evict();
            return false;
        }
        // wrapping shares the frame's bytes among every watcher instead of copying them per connection
        response.write(Buffer.buffer(Unpooled.wrappedBuffer(frame))).onComplete(written -> sent(frame.length));
        return true;
    }

    private synchronized void sent(int bytes) {
        unsent -= bytes;
    }

    /** Queued bytes not yet handed to the socket; for tests and metrics. */
    synchronized long unsent() {
        return unsent;
    }

    /**
     * A reset rather than a clean end: the client is not reading, so an end chunk would only queue behind the
     * backlog. On HTTP/1.1 this closes the connection; on HTTP/2 it resets only this stream, leaving the
     * client's other watches on the same connection alone.
     */
    private void evict() {
        evicted.increment();
        if (!response.closed()) {
            response.reset();
        }
        released();
    }

    @Override
    public void end() {
        synchronized (this) {
            if (ended) {
                released();
                return;
            }
            ended = true;
        }
        if (!response.ended() && !response.closed()) {
            response.end();
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
}
