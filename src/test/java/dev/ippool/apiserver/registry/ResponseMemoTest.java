package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippool.apiserver.storage.KeyValue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ResponseMemoTest {

    private final ResponseMemo memo = new ResponseMemo();
    private final AtomicInteger encodings = new AtomicInteger();
    private final Function<KeyValue, byte[]> encode = kv -> {
        encodings.incrementAndGet();
        return (kv.key() + "@" + kv.modRevision()).getBytes();
    };

    private static KeyValue kv(String key, long revision, int size) {
        return new KeyValue(key, new byte[size], 1, revision);
    }

    @Test
    @DisplayName("a key read again at the same revision is encoded once, even from another read's bytes")
    void sameRevisionEncodedOnce() {
        byte[] first = memo.response(kv("/p/a", 5, 10), encode);
        byte[] again = memo.response(kv("/p/a", 5, 10), encode);
        assertThat(again).isSameAs(first);
        assertThat(encodings).hasValue(1);
    }

    @Test
    @DisplayName("a new revision, or another key in the same slot, is encoded afresh")
    void otherRevisionOrKeyEncodedAgain() {
        memo.response(kv("/p/a", 5, 10), encode);
        assertThat(new String(memo.response(kv("/p/a", 6, 10), encode))).isEqualTo("/p/a@6");
        for (int i = 0; i < 1000; i++) {
            // many keys share slots: each answer is still its own key's
            assertThat(new String(memo.response(kv("/p/k" + i, 6, 10), encode))).isEqualTo("/p/k" + i + "@6");
        }
        assertThat(new String(memo.response(kv("/p/a", 6, 10), encode))).isEqualTo("/p/a@6");
    }

    @Test
    @DisplayName("a response over the size limit is never kept")
    void largeNotKept() {
        Function<KeyValue, byte[]> large = kv -> {
            encodings.incrementAndGet();
            return new byte[256 * 1024];
        };
        memo.response(kv("/p/big", 5, 10), large);
        memo.response(kv("/p/big", 5, 10), large);
        assertThat(encodings).hasValue(2);
    }
}
