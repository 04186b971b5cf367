package dev.ippool.apiserver.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The glue between the asynchronous write path and its blocking callers: stages fail with the exception that
 * happened (a {@link StorageException}, an API error), never a {@link CompletionException} around it.
 */
public final class Futures {

    private Futures() {
    }

    /** The exception a stage failed with, unwrapped from the completion wrappers the JDK adds. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A stage failed with {@code error} as it is. */
    public static <T> CompletableFuture<T> failed(Throwable error) {
        return CompletableFuture.failedFuture(unwrap(error));
    }

    /** {@code call}'s stage, or a failed one if {@code call} throws before it has one. */
    public static <T> CompletionStage<T> attempt(java.util.function.Supplier<CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /** Waits for {@code stage} (on a worker only); rethrows what it failed with. */
    public static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
