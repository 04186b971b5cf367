package dev.ippool.apiserver.registry;

import dev.ippool.apiserver.storage.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where an asynchronous verb runs what follows a storage call, and what its chain must not do on the thread it
 * happens to be on.
 *
 * <p>A storage call completes on the storage client's thread (jetcd's one event loop, which also carries every
 * other etcd call and the watch stream): the work after it, such as a PATCH's retry on the winner's state, goes
 * to {@code resume}. A read that only blocks goes to {@code blocking}.
 *
 * @param blocking runs what blocks; never the storage client's thread
 * @param resume   runs what follows a storage call's completion
 */
public record Offload(Executor blocking, Executor resume) {

    /** {@code work} on {@code resume}: what follows a storage call, off the storage client's thread. */
    <T> CompletionStage<T> resumed(Supplier<CompletionStage<T>> work) {
        return CompletableFuture.supplyAsync(() -> Futures.attempt(work), resume).thenCompose(Function.identity());
    }
}
