package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.storage.KeyValue;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Decoded trees of stored objects by key and mod revision, for the write path: kube's GuaranteedUpdate starts
 * from the watch cache's already decoded object for the same reason. Parsing a pool of 65,536 allocations
 * (~11 MB) took a third of its patch, and every allocation patch is preceded by a write of the same key. So
 * after a large object is written, the tree that write stored is kept ({@link #remember}), and the next write
 * of that key starts from it; any other revision is parsed once, by the first request that needs it, and shared.
 *
 * <p>A tree handed out is shared by every request that asks for that revision: callers must not change it
 * (the patch path copies what it writes, see {@link Writable}). Entries are bounded by their stored size.
 */
final class TreeMemo {

    /**
     * Objects at least this large are kept after a write. A pool of 256 allocations is ~68 KB with its
     * managedFields, and its parse (0.28 ms of CPU, measured) would otherwise follow each of its writes, since
     * every allocation patch follows a write of the same pool. Smaller objects parse in microseconds, and keeping
     * them would only push the large ones out.
     */
    static final int KEEP_BYTES = 16 * 1024;

    private record Entry(long revision, int length, CompletableFuture<ObjectNode> tree) {
        boolean holds(KeyValue kv) {
            return revision == kv.modRevision() && length == kv.value().length;
        }
    }

    private final Function<KeyValue, ObjectNode> decode;
    private final long maxBytes;
    /** In access order, for eviction; guarded by {@code this}. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    TreeMemo(Function<KeyValue, ObjectNode> decode, long maxBytes) {
        this.decode = decode;
        this.maxBytes = maxBytes;
    }

    /** The tree of {@code kv} (shared: read only), parsed now unless it is memoized or being parsed. */
    ObjectNode get(KeyValue kv) {
        CompletableFuture<ObjectNode> mine = new CompletableFuture<>();
        Entry entry = claim(kv, mine);
        if (entry == null) {
            return decode.apply(kv);
        }
        if (entry.tree() != mine) {
            try {
                return entry.tree().join();
            } catch (CompletionException | CancellationException e) {
                return decode.apply(kv); // that parse failed or was dropped: this request parses for itself
            }
        }
        return parse(kv, entry);
    }

    /**
     * After a write: keeps the tree {@code stored} gives, the object exactly as written at {@code kv}'s revision
     * (what a parse of its bytes would give), for the next write of its key. Only for large objects, so the
     * tree is only built for them.
     */
    void remember(KeyValue kv, Supplier<ObjectNode> stored) {
        if (kv.value().length >= KEEP_BYTES) {
            claim(kv, CompletableFuture.completedFuture(stored.get()));
        }
    }

    private ObjectNode parse(KeyValue kv, Entry entry) {
        try {
            ObjectNode tree = decode.apply(kv);
            entry.tree().complete(tree);
            return tree;
        } catch (RuntimeException e) {
            forget(kv.key(), entry);
            entry.tree().completeExceptionally(e);
            throw e;
        }
    }

    /** The entry for {@code kv}: the memoized one, or a new one holding {@code mine}; null if too large to keep. */
    private synchronized Entry claim(KeyValue kv, CompletableFuture<ObjectNode> mine) {
        Entry current = entries.get(kv.key());
        if (current != null && current.holds(kv) && !current.tree().isCompletedExceptionally()) {
            return current;
        }
        if (kv.value().length > maxBytes) {
            return null;
        }
        Entry entry = new Entry(kv.modRevision(), kv.value().length, mine);
        Entry replaced = entries.put(kv.key(), entry);
        bytes += entry.length() - (replaced == null ? 0 : replaced.length());
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); bytes > maxBytes; ) {
            Map.Entry<String, Entry> eldest = it.next();
            if (eldest.getValue() != entry) {
                bytes -= eldest.getValue().length();
                it.remove();
            }
        }
        return entry;
    }

    private synchronized void forget(String key, Entry entry) {
        if (entries.remove(key, entry)) {
            bytes -= entry.length();
        }
    }
}
