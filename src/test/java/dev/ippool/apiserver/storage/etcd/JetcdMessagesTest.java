package dev.ippool.apiserver.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippool.apiserver.storage.Change;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.support.PrivateEtcd;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JetcdMessagesTest extends PrivateEtcd {

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String text(KeyValue kv) {
        return kv.key() + "=" + new String(kv.value(), StandardCharsets.UTF_8) + "@" + kv.createRevision() + "/"
                + kv.modRevision();
    }

    @Test
    @DisplayName("values come from jetcd's messages (no per-value hashing) and equal what its wrappers give")
    void sameAsTheWrappers() throws Exception {
        JetcdMessages messages = new JetcdMessages();
        assertThat(messages.direct()).as("this jetcd exposes its response messages").isTrue();
        var kv = etcdStore.client().getKVClient();
        kv.put(bytes("/m/a"), bytes("{\"a\":1}")).get();
        kv.put(bytes("/m/b"), bytes("")).get();
        var response = kv.get(bytes("/m/"), GetOption.builder().isPrefix(true).build()).get();
        List<String> direct = messages.kvs(response).stream().map(JetcdMessagesTest::text).toList();
        assertThat(direct).hasSize(2).isEqualTo(response.getKvs().stream().map(JetcdMessages::of)
                .map(JetcdMessagesTest::text).toList());
    }

    @Test
    @DisplayName("watch events: puts with and without a previous value, deletes with it")
    void watchEvents() throws Exception {
        JetcdMessages messages = new JetcdMessages();
        LinkedBlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
        var kv = etcdStore.client().getKVClient();
        // from an explicit revision: jetcd opens a watch asynchronously, and one "from now" can miss the puts below
        long start = kv.get(bytes("/w/")).get().getHeader().getRevision();
        try (Watch.Watcher w = etcdStore.client().getWatchClient().watch(bytes("/w/"), WatchOption.builder()
                .isPrefix(true).withPrevKV(true).withRevision(start + 1).build(), responses::add)) {
            kv.put(bytes("/w/x"), bytes("1")).get();
            kv.put(bytes("/w/x"), bytes("2")).get();
            kv.delete(bytes("/w/x")).get();
            StringBuilder seen = new StringBuilder();
            while (seen.toString().split(";").length < 3 || seen.isEmpty()) {
                WatchResponse r = responses.poll(10, TimeUnit.SECONDS);
                assertThat(r).as("a watch response within 10 s").isNotNull();
                for (Change e : messages.changes(r)) {
                    seen.append(e.type() == Change.Type.DELETE ? "DELETE " : "PUT ").append(e.current() == null ? ""
                            : new String(e.current().value(), StandardCharsets.UTF_8)).append(" prev ")
                            .append(e.previous() == null ? "none"
                                    : new String(e.previous().value(), StandardCharsets.UTF_8)).append(';');
                }
            }
            assertThat(seen.toString()).isEqualTo("PUT 1 prev none;PUT 2 prev 1;DELETE  prev 2;");
        }
    }
}
