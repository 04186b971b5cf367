package dev.ippool.apiserver.registry;

import dev.ippool.apiserver.storage.KeyValue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The response bytes of recently read objects, so a pool read over and over (every Whereabouts allocation reads
 * its pool) is spliced once per revision rather than once per read: the splice scans the metadata, whose
 * managedFields name every allocation of the pool. Kube's watch cache keeps serialized forms for the same reason
 * ({@code cachingObject}).
 *
 * <p>Direct-mapped and bounded: a fixed number of slots by key hash, each holding one object's bytes, and
 * objects over a size limit are never kept, so the memo costs at most {@code SLOTS × MAX_BYTES} of heap
 * whatever the number of pools. An entry is valid for its key at its mod revision: etcd never gives a key two
 * values at one revision.
 */
final class ResponseMemo {

    private static final int SLOTS = 256;
    private static final int MAX_BYTES = 128 * 1024;

    private record Entry(String key, long modRevision, int storedLength, byte[] response) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /** The response for {@code kv}: remembered, or computed by {@code encode} (and remembered if small). */
    byte[] response(KeyValue kv, Function<KeyValue, byte[]> encode) {
        int slot = spread(kv.key().hashCode()) & (SLOTS - 1);
        Entry entry = slots.get(slot);
        if (entry != null && entry.modRevision() == kv.modRevision() && entry.storedLength() == kv.value().length
                && entry.key().equals(kv.key())) {
            return entry.response();
        }
        byte[] response = encode.apply(kv);
        if (response.length <= MAX_BYTES) {
            slots.set(slot, new Entry(kv.key(), kv.modRevision(), kv.value().length, response));
        }
        return response;
    }

    /** Keys differ mostly in their last characters (the names): mix the high bits in. */
    private static int spread(int h) {
        return h ^ (h >>> 16) ^ (h >>> 8);
    }
}
