package dev.ippool.apiserver.registry;

import dev.ippool.apiserver.storage.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * This server's read-modify-writes of one key, one at a time, in arrival order. Concurrent writes of a hot key
 * (B5's 100 writes/s to one pool, Whereabouts' allocators on one pool) otherwise all start from the same state,
 * all but one lose the conditional write, and each loser is applied again to the winner: a write costs more the
 * more are in flight, until a burst outlives its deadline. Taking turns, each write starts from the previous
 * one's result (this server's own writes are the starting copy, see {@code Store#possiblyStale}) and wins unless
 * another server or etcd client wrote in between, which the conditional write still catches. What clients see
 * is what kube's concurrent handlers give them: each write applied to the latest state, in some order.
 */
final class KeyTurns {

    /** Per key with writes in progress, the completion of the last one to arrive. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> last = new ConcurrentHashMap<>();

    /**
     * Runs {@code write} once the writes of {@code key} that arrived before it have completed (at once, on the
     * caller's thread, if there are none; else on {@code resume}). Its outcome is the stage's; a failure does not
     * hold up the next write.
     */
    <T> CompletionStage<T> take(String key, Executor resume, Supplier<CompletionStage<T>> write) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> before = last.put(key, mine);
        CompletionStage<T> result = before == null ? Futures.attempt(write)
                : before.thenComposeAsync(ignored -> Futures.attempt(write), resume);
        result.whenComplete((value, error) -> {
            last.remove(key, mine);
            mine.complete(null);
        });
        return result;
    }

    /** Keys with a write in progress (for tests: none once all have completed). */
    int busyKeys() {
        return last.size();
    }
}
