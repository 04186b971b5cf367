package dev.ippool.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Calls on etcd with nothing but jetcd: the yardsticks' operations, and the cleanups between scenarios. */
final class RawEtcd {

    private RawEtcd() {
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Read, then write back if nobody wrote since; again until it lands. Completes true once it has. */
    static CompletionStage<Boolean> allocation(KV kv, ByteSequence key) {
        return kv.get(key).thenCompose(got -> {
            KeyValue current = got.getKvs().get(0);
            return kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(current.getModRevision())))
                    .Then(Op.put(key, current.getValue(), PutOption.DEFAULT)).commit();
        }).thenCompose(r -> r.isSucceeded() ? CompletableFuture.completedFuture(true)
                : allocation(kv, key));
    }

    /** Deletes every key under {@code prefix}, 2,000 keys per revision; returns how many. */
    static long deletePrefix(KV kv, String prefix) throws Exception {
        long deleted = 0;
        while (true) {
            var keys = kv.get(bytes(prefix), GetOption.builder().isPrefix(true).withKeysOnly(true).withLimit(2000)
                    .withSortField(GetOption.SortTarget.KEY).build()).get().getKvs();
            if (keys.isEmpty()) {
                return deleted;
            }
            ByteSequence last = keys.get(keys.size() - 1).getKey();
            deleted += kv.delete(keys.get(0).getKey(), DeleteOption.builder().withRange(last.concat(ByteSequence.from(
                    new byte[] {0}))).build()).get().getDeleted();
        }
    }
}
