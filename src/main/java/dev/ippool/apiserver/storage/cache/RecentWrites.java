package dev.ippool.apiserver.storage.cache;

import dev.ippool.apiserver.storage.KeyValue;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * What this server last wrote to each recently written key, kept until the watch cache has it. The event of a
 * write reaches the cache a little after the write is answered, and the next write of the same key often comes
 * sooner: a client patching serially, Whereabouts allocating from a pool it just wrote, a large pool whose event
 * takes a while to arrive. Starting from the cache's older copy would cost a failed conditional write; reading a
 * large value from etcd, its full size. Bounded by entries and bytes, oldest write evicted first.
 */
final class RecentWrites {

    private final int maxEntries;
    private final long maxBytes;
    /** In write order; guarded by {@code this}. */
    private final LinkedHashMap<String, KeyValue> entries = new LinkedHashMap<>();
    private long bytes;

    RecentWrites(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** Records a successful write, unless a newer one of the key is recorded already (writes race). */
    synchronized void put(KeyValue kv) {
        if (kv.value().length > maxBytes) {
            remove(kv.key());
            return;
        }
        KeyValue old = entries.get(kv.key());
        if (old != null && old.modRevision() >= kv.modRevision()) {
            return;
        }
        remove(kv.key());
        entries.put(kv.key(), kv);
        bytes += kv.value().length;
        Iterator<KeyValue> oldest = entries.values().iterator();
        while (entries.size() > maxEntries || bytes > maxBytes) {
            bytes -= oldest.next().value().length;
            oldest.remove();
        }
    }

    /** The last recorded write of {@code key}, or null. */
    synchronized KeyValue get(String key) {
        return entries.get(key);
    }

    /** Forgets {@code key} (deleted, or the cache has caught up). */
    synchronized void remove(String key) {
        KeyValue old = entries.remove(key);
        if (old != null) {
            bytes -= old.value().length;
        }
    }

    /** Forgets {@code kv} if it is still the recorded write of its key. */
    synchronized void remove(KeyValue kv) {
        if (entries.get(kv.key()) == kv) {
            remove(kv.key());
        }
    }
}
