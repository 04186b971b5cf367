package dev.ippool.apiserver.storage.etcd;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Lets concurrent linearizable reads of one key share etcd round trips, without giving up linearizability.
 *
 * <p>A read answers a request linearizably when it is <em>sent</em> after the request arrived: it then sees every
 * write that completed before the request. So a request for a key with no read in flight sends one; a request
 * arriving while one is in flight must not join it (it may have been sent before a write this request saw
 * complete) and waits for the <em>next</em> read, sent when the current one answers, which every request
 * arriving meanwhile shares. Per key, at most one read is in flight and one is waiting: a hot pool read by
 * many Whereabouts allocators at once costs etcd one range per round trip, not one per allocator. A lone
 * request is sent at once, as without coalescing.
 *
 * <p>Never blocks: the state change is a short critical section, and reads are sent outside it, from the
 * caller's thread or from the completion (a jetcd callback thread) of the read before. {@code send} must
 * return a future that always completes (with a deadline of its own): a read that never answered would hold
 * up every later read of its key.
 *
 * @param <T> the response
 */
final class ReadCoalescer<T> {

    private final Function<String, CompletableFuture<T>> send;
    /** Each key with a read in flight, mapped to the read waiting for it to answer (null when none waits). */
    private final Map<String, CompletableFuture<T>> waiting = new HashMap<>();

    /** @param send starts one read of a key */
    ReadCoalescer(Function<String, CompletableFuture<T>> send) {
        this.send = send;
    }

    /**
     * A read of {@code key} sent after this call, shared with the other callers that wait for the same one.
     * Callers must not cancel it (it is shared); they may stop waiting for it.
     */
    CompletableFuture<T> read(String key) {
        CompletableFuture<T> next;
        synchronized (waiting) {
            if (waiting.containsKey(key)) {
                next = waiting.get(key);
                if (next == null) {
                    next = new CompletableFuture<>();
                    waiting.put(key, next);
                }
                return next;
            }
            waiting.put(key, null);
            next = new CompletableFuture<>();
        }
        start(key, next);
        return next;
    }

    /** Sends the read for {@code target}; when it answers, sends the read that waited for it, if any. */
    private void start(String key, CompletableFuture<T> target) {
        CompletableFuture<T> sent;
        try {
            sent = send.apply(key);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((response, error) -> {
            CompletableFuture<T> next;
            synchronized (waiting) {
                next = waiting.remove(key);
                if (next != null) {
                    waiting.put(key, null);
                }
            }
            // the waiting read goes out before this one's callers wake up and come back for more
            if (next != null) {
                start(key, next);
            }
            if (error != null) {
                target.completeExceptionally(error);
            } else {
                target.complete(response);
            }
        });
    }

    /** Keys with a read in flight (for tests: zero once every read has answered). */
    int inFlight() {
        synchronized (waiting) {
            return waiting.size();
        }
    }
}
