package dev.ippool.apiserver.storage.etcd;

import dev.ippool.apiserver.storage.Futures;
import dev.ippool.apiserver.storage.StorageException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The store's deadline on an etcd call and the errors a call ends in, the same whether a caller waits for it
 * ({@link #await}) or takes its completion ({@link #then}): a missed deadline is {@link
 * StorageException.Unavailable} "timed out", anything else what {@link EtcdErrors} makes of it.
 */
final class Deadline {

    private final long timeoutMillis;

    Deadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    long millis() {
        return timeoutMillis;
    }

    /**
     * Waits for {@code future} up to the deadline.
     *
     * @param own whether this caller alone waits for {@code future}, and may cancel it when it gives up
     */
    <T> T await(CompletableFuture<T> future, String operation, long revision, boolean own) {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (own) {
                future.cancel(true);
            }
            throw timedOut(operation, e);
        } catch (InterruptedException e) {
            if (own) {
                future.cancel(true);
            }
            Thread.currentThread().interrupt();
            throw new StorageException.Unavailable("interrupted while waiting for etcd " + operation, e);
        } catch (ExecutionException e) {
            throw EtcdErrors.translate(operation, revision, e.getCause());
        }
    }

    /**
     * {@code then} applied to what {@code call} answers; the stage fails with the same errors {@link #await}
     * throws. {@code call} must carry the deadline itself (its own {@code orTimeout}, or a shared read's).
     */
    <T, R> CompletionStage<R> then(CompletableFuture<T> call, String operation, Function<T, R> then) {
        return call.handle((response, error) -> {
            if (error == null) {
                return then.apply(response);
            }
            Throwable cause = Futures.unwrap(error);
            throw cause instanceof TimeoutException ? timedOut(operation, cause)
                    : EtcdErrors.translate(operation, 0, cause);
        });
    }

    private StorageException.Unavailable timedOut(String operation, Throwable cause) {
        return new StorageException.Unavailable("etcd " + operation + " timed out after " + timeoutMillis + " ms",
                cause);
    }
}
