package dev.ippool.apiserver.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippool.apiserver.storage.Futures;
import dev.ippool.apiserver.storage.StorageException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A waited-for call and a taken completion end in the same storage errors. */
class DeadlineTest {

    private final Deadline deadline = new Deadline(50);

    @AfterEach
    void stop() {
        deadline.close();
    }

    @Test
    @DisplayName("a missed deadline is Unavailable 'timed out' both ways; a waiter that owns the call cancels it")
    void timedOut() {
        CompletableFuture<String> owned = new CompletableFuture<>();
        assertThatThrownBy(() -> deadline.await(owned, "get", 0, true))
                .isInstanceOf(StorageException.Unavailable.class).hasMessage("etcd get timed out after 50 ms");
        assertThat(owned).isCancelled();
        CompletableFuture<String> shared = new CompletableFuture<>();
        assertThatThrownBy(() -> deadline.await(shared, "get", 0, false))
                .isInstanceOf(StorageException.Unavailable.class);
        assertThat(shared).as("others still wait for a shared read").isNotDone();
        var taken = deadline.then(deadline.bound(new CompletableFuture<String>()), "create", String::length);
        assertThatThrownBy(() -> Futures.join(taken))
                .isInstanceOf(StorageException.Unavailable.class).hasMessage("etcd create timed out after 50 ms");
    }

    @Test
    @DisplayName("bound calls fail with TimeoutException once the timeout passes, answered ones are left alone")
    void bound() throws Exception {
        long start = System.nanoTime();
        CompletableFuture<String> answered = deadline.bound(new CompletableFuture<>());
        CompletableFuture<String> silent = deadline.bound(new CompletableFuture<>());
        answered.complete("ok");
        assertThatThrownBy(() -> silent.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        assertThat(System.nanoTime() - start).as("not before the timeout").isGreaterThanOrEqualTo(
                TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(answered.join()).isEqualTo("ok");
        // after a quiet spell (the sweeper sleeps with nothing pending) a new call still gets its deadline
        CompletableFuture<String> later = deadline.bound(new CompletableFuture<>());
        assertThatThrownBy(() -> later.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    @DisplayName("an answer is passed on; another failure is what EtcdErrors makes of it, both ways")
    void answersAndErrors() {
        assertThat(Futures.join(deadline.then(CompletableFuture.completedFuture("abc"), "get", String::length)))
                .isEqualTo(3);
        RuntimeException tooLarge = new RuntimeException("etcdserver: request is too large");
        assertThatThrownBy(() -> Futures.join(deadline.then(CompletableFuture.<String>failedFuture(tooLarge),
                "create", String::length))).isInstanceOf(StorageException.TooLarge.class);
        assertThatThrownBy(() -> deadline.await(CompletableFuture.failedFuture(tooLarge), "create", 0, true))
                .isInstanceOf(StorageException.TooLarge.class);
        RuntimeException other = new RuntimeException("boom");
        assertThatThrownBy(() -> Futures.join(deadline.then(CompletableFuture.<String>failedFuture(other), "get",
                String::length))).isInstanceOf(StorageException.Unavailable.class)
                .hasMessage("etcd get failed: java.lang.RuntimeException: boom");
    }
}
