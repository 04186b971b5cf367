package dev.ippool.apiserver.registry;

import dev.ippool.apiserver.storage.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where an asynchronous verb runs what follows a storage call, and what its caller's thread must not do.
 *
 * <p>A storage call completes on the storage client's thread (jetcd's one event loop, which also carries every
 * other etcd call and the watch stream): the work after it, such as a PATCH's retry on the winner's state,
 * returns to {@code resume}, the caller's own event loop. A read that only blocks, and the patching and encoding
 * of an object over {@code maxBytes} (a pool of tens of thousands of allocations is megabytes, and would hold up
 * an event loop for a long while), go to {@code blocking}, which must not be the caller's thread.
 *
 * @param blocking runs what blocks or takes long
 * @param maxBytes the largest stored object worked on in the event loop
 * @param resume   runs what follows a storage call's completion
 */
public record Offload(Executor blocking, int maxBytes, Executor resume) {

    /** {@code work} on an object of {@code bytes} stored: here if it is within the bound, else on the executor. */
    <T> CompletionStage<T> sized(int bytes, Supplier<CompletionStage<T>> work) {
        if (bytes <= maxBytes) {
            return Futures.attempt(work);
        }
        return CompletableFuture.supplyAsync(() -> Futures.attempt(work), blocking).thenCompose(Function.identity());
    }

    /** {@code work} on {@code resume}: what follows a storage call, off the storage client's thread. */
    <T> CompletionStage<T> resumed(Supplier<CompletionStage<T>> work) {
        return CompletableFuture.supplyAsync(() -> Futures.attempt(work), resume).thenCompose(Function.identity());
    }
}
