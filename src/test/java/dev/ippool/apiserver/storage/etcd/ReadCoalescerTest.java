package dev.ippool.apiserver.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The coalescing rule alone, with reads whose answers the test controls. That every coalesced read still sees
 * the writes completed before it began, on a real etcd, is {@code StoreContract.concurrentReadsAreCurrent}.
 */
class ReadCoalescerTest {

    /** Reads as sent, in order, each answered when the test says. */
    private final List<String> sent = new ArrayList<>();
    private final List<CompletableFuture<String>> answers = new ArrayList<>();
    private final ReadCoalescer<String> coalescer = new ReadCoalescer<>(key -> {
        CompletableFuture<String> answer = new CompletableFuture<>();
        synchronized (sent) {
            sent.add(key);
            answers.add(answer);
        }
        return answer;
    });

    @Test
    @DisplayName("a lone read is sent at once; reads arriving while it is in flight share the next one, sent after it answers")
    void sharesTheNextRead() throws Exception {
        CompletableFuture<String> first = coalescer.read("/a");
        assertThat(sent).containsExactly("/a");

        CompletableFuture<String> second = coalescer.read("/a");
        CompletableFuture<String> third = coalescer.read("/a");
        assertThat(sent).as("nothing joins a read already sent, nothing more is sent yet").containsExactly("/a");
        assertThat(second).isSameAs(third).isNotDone();

        answers.get(0).complete("r1");
        assertThat(first.get()).isEqualTo("r1");
        assertThat(second).as("the first answer is too old for reads that arrived after it was sent").isNotDone();
        assertThat(sent).containsExactly("/a", "/a");

        answers.get(1).complete("r2");
        assertThat(second.get()).isEqualTo("r2");
        assertThat(third.get()).isEqualTo("r2");
        assertThat(sent).hasSize(2);
        assertThat(coalescer.inFlight()).isZero();
    }

    @Test
    @DisplayName("reads of different keys never wait for each other")
    void keysAreIndependent() {
        coalescer.read("/a");
        coalescer.read("/b");
        assertThat(sent).containsExactly("/a", "/b");
        assertThat(coalescer.inFlight()).isEqualTo(2);
    }

    @Test
    @DisplayName("a failed read fails its own callers only; the read waiting behind it is still sent and answered")
    void failureStaysWithItsCallers() throws Exception {
        CompletableFuture<String> first = coalescer.read("/a");
        CompletableFuture<String> second = coalescer.read("/a");

        IllegalStateException boom = new IllegalStateException("etcd down");
        answers.get(0).completeExceptionally(boom);
        assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class).hasCause(boom);
        assertThat(sent).hasSize(2);
        answers.get(1).complete("r2");
        assertThat(second.get()).isEqualTo("r2");
        assertThat(coalescer.inFlight()).isZero();
    }

    @Test
    @DisplayName("a send that throws fails that read, and does not hold up the key")
    void sendThatThrows() throws Exception {
        ReadCoalescer<String> throwing = new ReadCoalescer<>(key -> {
            throw new IllegalStateException("client closed");
        });
        assertThat(throwing.read("/a")).isCompletedExceptionally();
        assertThat(throwing.inFlight()).isZero();
        assertThat(throwing.read("/a")).isCompletedExceptionally();
    }
}
