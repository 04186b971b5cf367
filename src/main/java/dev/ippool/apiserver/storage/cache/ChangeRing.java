package dev.ippool.apiserver.storage.cache;

import dev.ippool.apiserver.storage.Change;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A watch cache's recent changes, oldest first, bounded by count and by the bytes of the values they hold (the
 * newest change always stays): a few revisions of a 65,536-allocation pool are tens of MB. A watch may replay
 * from {@link #floor()} on; one from before it gets 410 Gone and relists, as from kube's watch cache. Not
 * thread-safe: the cache's lock guards it.
 */
final class ChangeRing implements Iterable<Change> {

    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private final int capacity;
    private final long maxBytes;
    private long bytes;
    private long floor;

    ChangeRing(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** Empties the ring after a (re)list at {@code revision}: watches may start from there on. */
    void reset(long revision) {
        changes.clear();
        bytes = 0;
        floor = revision;
    }

    void add(Change change) {
        changes.addLast(change);
        bytes += size(change);
        while (changes.size() > 1 && (changes.size() > capacity || bytes > maxBytes)) {
            Change evicted = changes.removeFirst();
            bytes -= size(evicted);
            // part of a revision may go (one revision can change many keys): a watch from before it is too old
            floor = evicted.revision();
        }
    }

    /** The oldest revision a watch may start after. */
    long floor() {
        return floor;
    }

    @Override
    public Iterator<Change> iterator() {
        return changes.iterator();
    }

    private static long size(Change change) {
        return (change.current() == null ? 0 : change.current().value().length)
                + (change.previous() == null ? 0 : change.previous().value().length);
    }
}
