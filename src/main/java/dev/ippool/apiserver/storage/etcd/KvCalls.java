package dev.ippool.apiserver.storage.etcd;

import static dev.ippool.apiserver.storage.etcd.EtcdStore.bytes;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The calls on a request's path, the conditional writes and the reads of one key, each made on the event loops'
 * channels ({@link LoopChannels}) when there are some, and else, or when a channel refuses it as unavailable,
 * through jetcd. Either way the answer is jetcd's response type, so the store reads both alike.
 *
 * <p>Each write's losing branch reads the key, so a conflict carries the winner and a retry needs no second round
 * trip (kube-apiserver's etcd3 store does the same).
 */
final class KvCalls implements AutoCloseable {

    private static final GetOption KEYS_ONLY = GetOption.builder().withKeysOnly(true).build();

    /** jetcd's KV client, once the store has built it. */
    private final Supplier<KV> jetcd;
    /** null: every call through jetcd (there are none, or they are not open yet: see {@link #attach}). */
    private volatile LoopChannels loops;
    private boolean closed;

    KvCalls(Supplier<KV> jetcd) {
        this.jetcd = jetcd;
    }

    /** From now on the calls go through {@code opened}; closed at once if these calls already are. */
    synchronized void attach(LoopChannels opened) {
        if (closed) {
            opened.close();
        } else {
            loops = opened;
        }
    }

    /** Puts {@code value} if {@code key} does not exist; else reads it. */
    CompletableFuture<TxnResponse> create(String key, byte[] value) {
        return txn(() -> LoopChannels.create(utf8(key), unsafe(value)), () -> {
            ByteSequence k = bytes(key);
            return jetcd.get().txn()
                    .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(k, ByteSequence.from(unsafe(value)), PutOption.DEFAULT))
                    .Else(Op.get(k, GetOption.DEFAULT))
                    .commit();
        });
    }

    /** Puts {@code value} if {@code key} is at mod revision {@code expected}; else reads it. */
    CompletableFuture<TxnResponse> update(String key, byte[] value, long expected) {
        return txn(() -> LoopChannels.update(utf8(key), unsafe(value), expected),
                () -> conditional(key, expected, k -> Op.put(k, ByteSequence.from(unsafe(value)), PutOption.DEFAULT)));
    }

    /** Deletes {@code key} if it is at mod revision {@code expected}; else reads it. */
    CompletableFuture<TxnResponse> delete(String key, long expected) {
        return txn(() -> LoopChannels.delete(utf8(key), expected),
                () -> conditional(key, expected, k -> Op.delete(k, DeleteOption.DEFAULT)));
    }

    /** A linearizable read of one key, without its value when {@code keysOnly}. */
    CompletableFuture<GetResponse> get(String key, boolean keysOnly) {
        Supplier<CompletableFuture<GetResponse>> viaJetcd = () -> jetcd.get().get(bytes(key),
                keysOnly ? KEYS_ONLY : GetOption.DEFAULT);
        LoopChannels loops = this.loops;
        if (loops == null) {
            return viaJetcd.get();
        }
        return orJetcd(loops.range(LoopChannels.get(utf8(key), keysOnly))
                .thenApply(r -> new GetResponse(r, ByteSequence.EMPTY)), viaJetcd);
    }

    /** Closes the event loops' channels; jetcd's client belongs to the store. */
    @Override
    public synchronized void close() {
        closed = true;
        if (loops != null) {
            loops.close();
        }
    }

    private CompletableFuture<TxnResponse> txn(Supplier<TxnRequest> request,
            Supplier<CompletableFuture<TxnResponse>> viaJetcd) {
        LoopChannels loops = this.loops;
        if (loops == null) {
            return viaJetcd.get();
        }
        return orJetcd(loops.txn(request.get()).thenApply(r -> new TxnResponse(r, ByteSequence.EMPTY)), viaJetcd);
    }

    /** The key encoded once, for the comparison, {@code then} and the losing branch's read. */
    private CompletableFuture<TxnResponse> conditional(String key, long expected, Function<ByteSequence, Op> then) {
        ByteSequence k = bytes(key);
        return jetcd.get().txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)))
                .Then(then.apply(k))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit();
    }

    /**
     * {@code call}, or, if the channel refused it as unavailable (etcd restarting, or the channel in its
     * reconnect back-off), the same call through jetcd, which retries within the deadline as before.
     */
    private static <T> CompletableFuture<T> orJetcd(CompletableFuture<T> call, Supplier<CompletableFuture<T>> viaJetcd) {
        return call.exceptionallyCompose(error -> Status.fromThrowable(error).getCode() == Status.Code.UNAVAILABLE
                ? viaJetcd.get() : CompletableFuture.failedFuture(error));
    }

    /**
     * The value as gRPC takes it, without a copy: the callers hand over arrays they never change again, and
     * {@code ByteSequence.from(byte[])} would copy it once more on its way into the request.
     */
    private static ByteString unsafe(byte[] value) {
        return UnsafeByteOperations.unsafeWrap(value);
    }

    private static ByteString utf8(String key) {
        return ByteString.copyFromUtf8(key);
    }
}
