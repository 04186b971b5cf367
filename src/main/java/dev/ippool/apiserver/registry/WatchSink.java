package dev.ippool.apiserver.registry;

/** Where a watch writes its frames: one HTTP response. */
public interface WatchSink {

    /**
     * Queues one frame without blocking. Returns false when the sink is closed, or has just closed itself
     * because its client cannot keep up; the watch then stops.
     */
    boolean send(byte[] frame);

    /** Ends the stream cleanly (the client re-watches from its last resourceVersion). Idempotent. */
    void end();
}
