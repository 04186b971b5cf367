package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippool.apiserver.storage.Futures;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeyTurnsTest {

    private final KeyTurns turns = new KeyTurns();
    private final ExecutorService resume = Executors.newSingleThreadExecutor(r -> new Thread(r, "resume"));

    @AfterEach
    void stop() {
        resume.shutdownNow();
    }

    @Test
    @DisplayName("writes of one key run one at a time in arrival order, a failure does not hold up the next, and "
            + "other keys do not wait; nothing is left behind")
    void oneAtATime() {
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> firstWrite = new CompletableFuture<>();
        CompletionStage<String> first = turns.take("k", resume, () -> {
            log.add("first starts on " + Thread.currentThread().getName());
            return firstWrite;
        });
        CompletionStage<String> second = turns.take("k", resume, () -> {
            log.add("second starts on " + Thread.currentThread().getName());
            throw new IllegalStateException("second fails");
        });
        CompletionStage<String> third = turns.take("k", resume, () -> {
            log.add("third starts");
            return CompletableFuture.completedFuture("third");
        });
        CompletionStage<String> other = turns.take("other", resume, () -> CompletableFuture.completedFuture("other"));
        assertThat(Futures.join(other)).isEqualTo("other");
        assertThat(log).containsExactly("first starts on " + Thread.currentThread().getName());
        assertThat(turns.busyKeys()).isEqualTo(1);

        firstWrite.complete("first");
        assertThat(Futures.join(first)).isEqualTo("first");
        assertThatThrownBy(() -> Futures.join(second)).isInstanceOf(IllegalStateException.class)
                .hasMessage("second fails");
        assertThat(Futures.join(third)).isEqualTo("third");
        assertThat(log).containsExactly("first starts on " + Thread.currentThread().getName(),
                "second starts on resume", "third starts");
        assertThat(turns.busyKeys()).isZero();
    }
}
