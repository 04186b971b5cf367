package dev.ippool.apiserver.storage.etcd;

import dev.ippool.apiserver.storage.Futures;
import dev.ippool.apiserver.storage.StorageException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The store's deadline on an etcd call and the errors a call ends in, the same whether a caller waits for it
 * ({@link #await}) or takes its completion ({@link #then}): a missed deadline is {@link
 * StorageException.Unavailable} "timed out", anything else what {@link EtcdErrors} makes of it.
 *
 * <p>{@link #bound} puts the deadline on a call as {@code orTimeout} would, without its cost: {@code orTimeout}
 * schedules a task on the JDK's one delayer thread per call, and with one call in flight each new task was the
 * queue's head, so every etcd call woke that thread (measured: one wake-up and 0.03 ms of its CPU per create).
 * Here every call has the same timeout, so calls expire in the order they started: one sweeper walks them from
 * the oldest at a tick of a tenth of the timeout (50 ms at most), and sleeps while none is waiting.
 */
final class Deadline implements AutoCloseable {

    private final long timeoutMillis;
    private final long tickNanos;
    /** Bound calls in the order they started, which is the order of their deadlines; polled by the sweeper only. */
    private final ConcurrentLinkedQueue<Bounded> pending = new ConcurrentLinkedQueue<>();
    private volatile Thread sweeper;
    /** Set by the sweeper before it sleeps with nothing pending: the next call wakes it. */
    private volatile boolean idle;
    private volatile boolean closed;

    private record Bounded(CompletableFuture<?> call, long deadlineNanos) {
    }

    Deadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(50, timeoutMillis / 10)));
    }

    /** {@code call}, failed with a {@link TimeoutException} if it has not completed within the timeout. */
    <T> CompletableFuture<T> bound(CompletableFuture<T> call) {
        if (call.isDone() || closed) {
            return call;
        }
        pending.add(new Bounded(call, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis)));
        Thread current = sweeper;
        if (current == null) {
            current = start();
        }
        if (idle) {
            LockSupport.unpark(current);
        }
        return call;
    }

    private synchronized Thread start() {
        if (sweeper == null) {
            Thread t = new Thread(this::sweep, "etcd-deadlines");
            t.setDaemon(true);
            sweeper = t;
            t.start();
        }
        return sweeper;
    }

    private void sweep() {
        while (!closed) {
            long now = System.nanoTime();
            for (Bounded head = pending.peek(); head != null; head = pending.peek()) {
                if (!head.call().isDone() && head.deadlineNanos() - now > 0) {
                    break;
                }
                pending.poll();
                head.call().completeExceptionally(new TimeoutException());
            }
            if (pending.isEmpty()) {
                idle = true;
                if (pending.isEmpty() && !closed) {
                    LockSupport.park(this); // a call added after the check above finds idle set and wakes us
                }
                idle = false;
            } else {
                LockSupport.parkNanos(this, tickNanos);
            }
        }
    }

    /** Stops the sweeper; calls bound later carry no deadline of their own (the store is closed). */
    @Override
    public void close() {
        closed = true;
        Thread current = sweeper;
        if (current != null) {
            LockSupport.unpark(current);
        }
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
     * throws. {@code call} must carry the deadline itself ({@link #bound}, its own or a shared read's).
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
