package dev.ippool.apiserver.http;

import dev.ippool.apiserver.registry.Offload;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Which thread the resources' work runs on. A request starts on its event loop. An etcd call made there is
 * answered on that loop (the store has a gRPC channel per loop), where a GET or a POST goes on; an answer that
 * arrives elsewhere (jetcd's loop, when the store falls back to it) goes back to the request's loop. A PUT or a
 * PATCH goes on on a worker. What blocks or is large goes to the worker pool.
 */
final class Continuations {

    /**
     * The largest stored object or request body a GET or POST works on in an event loop (PUT and PATCH run on
     * workers). Splicing and writing a
     * few KB takes microseconds; a pool of tens of thousands of allocations is megabytes, and would hold up every
     * other connection of that loop meanwhile.
     */
    static final int EVENT_LOOP_MAX_BYTES = 64 * 1024;

    private Continuations() {
    }

    /** The calling request's event loop, taken while on it; on any other thread, that thread. */
    static Executor home() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : task -> context.runOnContext(v -> task.run());
    }

    /**
     * A write that may be retried, run on workers: {@code decode} the body, then {@code verb} it with an offload
     * that resumes on the worker pool, where its answer is delivered too. Nothing waits for etcd on a thread.
     *
     * <p>Not on the event loop, unlike a POST: a retry storm on one key (B5's 100 writes/s to one pool, each
     * delivered to 1,000 watchers) re-applies every losing write, and on the event loops that work queued behind
     * the watch frames they also write (answers took minutes; on workers, seconds), where the OS shares the
     * cores between the two.
     */
    static <B, T> Uni<T> onWorkers(Supplier<B> decode, BiFunction<B, Offload, CompletionStage<T>> verb) {
        Executor workers = Infrastructure.getDefaultWorkerPool();
        Offload offload = new Offload(workers, workers);
        return Uni.createFrom().item(decode).runSubscriptionOn(workers)
                .chain(body -> answered(verb.apply(body, offload), workers));
    }

    /** The result of an etcd call, delivered {@code home} unless it is there already. */
    static <T> Uni<T> answered(CompletionStage<T> stage, Executor home) {
        Uni<T> uni = Uni.createFrom().completionStage(stage);
        return stage.toCompletableFuture().isDone() ? uni : uni.emitOn(home);
    }

    /**
     * For the Vert.x routes, called on a request's event loop: {@code then} gets the stage's outcome on that loop.
     * The store answers on the loop's own gRPC channel, outside any Vert.x context, so the thread is compared,
     * not the context; an answer from elsewhere (jetcd's loop, should the store fall back to it) hops back.
     */
    static <T> void onThisLoop(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        Context home = Vertx.currentContext();
        Thread loop = Thread.currentThread();
        stage.whenComplete((value, error) -> {
            if (Thread.currentThread() == loop) {
                then.accept(value, error);
            } else {
                home.runOnContext(v -> then.accept(value, error));
            }
        });
    }

    /** {@code answer} run on the worker pool, for a request that blocks. */
    static Uni<Response> onWorker(Supplier<Response> answer) {
        return Uni.createFrom().item(answer).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
