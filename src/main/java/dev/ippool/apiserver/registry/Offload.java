package dev.ippool.apiserver.registry;

import dev.ippool.apiserver.storage.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where an asynchronous verb sends the work its caller's thread must not do: a read that only blocks, and the
 * patching and encoding of an object over {@code maxBytes} (a pool of tens of thousands of allocations is
 * megabytes, and would hold up an event loop or a storage thread for a long while). The executor must be another
 * thread than the caller's: the chain continues on storage threads, where nothing may block.
 *
 * @param blocking runs what blocks or takes long
 * @param maxBytes the largest stored object worked on where the chain happens to be
 */
public record Offload(Executor blocking, int maxBytes) {

    /** {@code work} on an object of {@code bytes} stored: here if it is within the bound, else on the executor. */
    <T> CompletionStage<T> sized(int bytes, Supplier<CompletionStage<T>> work) {
        if (bytes <= maxBytes) {
            return Futures.attempt(work);
        }
        return CompletableFuture.supplyAsync(() -> Futures.attempt(work), blocking).thenCompose(Function.identity());
    }
}
