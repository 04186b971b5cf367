package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.storage.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Decoded trees by key and revision: one parse per revision, shared, bounded, kept after writes. */
class TreeMemoTest {

    private final AtomicInteger parses = new AtomicInteger();

    private ObjectNode parse(KeyValue kv) {
        parses.incrementAndGet();
        return JsonNodeFactory.instance.objectNode().put("rv", kv.modRevision());
    }

    private static KeyValue kv(String key, long revision, int size) {
        return new KeyValue(key, new byte[size], 1, revision);
    }

    @Test
    @DisplayName("a revision parses once and is shared; another revision or a too large object parses again")
    void onePerRevision() {
        TreeMemo memo = new TreeMemo(this::parse, 1000);
        ObjectNode first = memo.get(kv("a", 5, 10));
        assertThat(memo.get(kv("a", 5, 10))).isSameAs(first);
        assertThat(memo.get(kv("a", 6, 10)).get("rv").asLong()).isEqualTo(6);
        assertThat(memo.get(kv("b", 6, 10))).isNotSameAs(memo.get(kv("a", 6, 10)));
        assertThat(parses).hasValue(3);
        memo.get(kv("big", 1, 1001));
        memo.get(kv("big", 1, 1001));
        assertThat(parses).hasValue(5);
    }

    @Test
    @DisplayName("entries are bounded by their stored size: the least recently used go first")
    void bounded() {
        TreeMemo memo = new TreeMemo(this::parse, 100);
        ObjectNode a = memo.get(kv("a", 1, 40));
        ObjectNode b = memo.get(kv("b", 1, 40));
        assertThat(memo.get(kv("a", 1, 40))).isSameAs(a); // a is now the more recent
        memo.get(kv("c", 1, 40)); // 120 bytes: b goes
        assertThat(memo.get(kv("a", 1, 40))).isSameAs(a);
        assertThat(memo.get(kv("b", 1, 40))).isNotSameAs(b);
    }

    @Test
    @DisplayName("after a write a large object's tree is kept, and the next request gets it without a parse")
    void keptAfterWrite() {
        TreeMemo memo = new TreeMemo(this::parse, 10_000_000);
        ObjectNode written = JsonNodeFactory.instance.objectNode().put("rv", 1);
        memo.remember(kv("small", 1, TreeMemo.KEEP_BYTES - 1), () -> {
            throw new AssertionError("a small object's tree is not built");
        });
        memo.remember(kv("large", 1, TreeMemo.KEEP_BYTES), () -> written);
        assertThat(memo.get(kv("large", 1, TreeMemo.KEEP_BYTES))).isSameAs(written);
        assertThat(parses).hasValue(0);
        assertThat(memo.get(kv("small", 1, TreeMemo.KEEP_BYTES - 1)).get("rv").asLong()).isEqualTo(1);
        assertThat(memo.get(kv("large", 2, TreeMemo.KEEP_BYTES))).isNotSameAs(written);
        assertThat(parses).hasValue(2);
    }

    @Test
    @DisplayName("requests for a revision being parsed wait for that parse instead of starting theirs")
    void concurrentRequestsShareAParse() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TreeMemo memo = new TreeMemo(kv -> {
            entered.countDown();
            await(release);
            return parse(kv);
        }, 1000);
        List<Thread> waiting = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r);
            synchronized (waiting) {
                waiting.add(t);
            }
            return t;
        });
        try {
            List<Future<ObjectNode>> trees = new ArrayList<>();
            trees.add(pool.submit(() -> memo.get(kv("a", 1, 10))));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 3; i++) {
                trees.add(pool.submit(() -> memo.get(kv("a", 1, 10))));
            }
            // the three later requests block on the first one's parse (not yet done: it waits for release)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (blocked(waiting) < 4 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(blocked(waiting)).isEqualTo(4);
            release.countDown();
            ObjectNode first = trees.get(0).get(10, TimeUnit.SECONDS);
            for (Future<ObjectNode> t : trees) {
                assertThat(t.get(10, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(parses).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a failed parse is not kept: its caller sees the failure, the next request parses again")
    void failuresAreNotKept() {
        AtomicInteger calls = new AtomicInteger();
        TreeMemo memo = new TreeMemo(kv -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("stored object is not JSON");
            }
            return parse(kv);
        }, 1000);
        assertThatThrownBy(() -> memo.get(kv("a", 1, 10))).isInstanceOf(IllegalStateException.class);
        assertThat(memo.get(kv("a", 1, 10)).get("rv").asLong()).isEqualTo(1);
    }

    private static long blocked(List<Thread> threads) {
        synchronized (threads) {
            return threads.stream().filter(t -> t.getState() == Thread.State.WAITING
                    || t.getState() == Thread.State.TIMED_WAITING).count();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
