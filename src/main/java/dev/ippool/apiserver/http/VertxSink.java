package dev.ippool.apiserver.http;

import dev.ippool.apiserver.registry.WatchSink;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * A watch's HTTP response. Writes never block: a watcher whose queued bytes pass the limit is closed (the
 * client re-watches from its last resourceVersion) and counted, so one slow client never holds up the others.
 */
final class VertxSink implements WatchSink {

    private final HttpServerResponse response;
    private final Counter evicted;
    private boolean ended;
    private Runnable onEnd;

    VertxSink(HttpServerResponse response, Counter evicted) {
        this.response = response;
        this.evicted = evicted;
        response.closeHandler(v -> end());
    }

    @Override
    public synchronized boolean send(byte[] frame) {
        if (ended) {
            return false;
        }
        if (response.writeQueueFull()) {
            evicted.increment();
            end();
            return false;
        }
        // wrapping shares the frame's bytes among every watcher instead of copying them per connection
        response.write(Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(frame)));
        return true;
    }

    @Override
    public void end() {
        Runnable callback;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            callback = onEnd;
        }
        if (!response.ended() && !response.closed()) {
            response.end();
        }
        if (callback != null) {
            callback.run();
        }
    }

    /** Runs {@code release} when the stream ends, or at once if it already has. */
    void onEnd(Runnable release) {
        boolean now;
        synchronized (this) {
            now = ended;
            onEnd = release;
        }
        if (now) {
            release.run();
        }
    }
}
