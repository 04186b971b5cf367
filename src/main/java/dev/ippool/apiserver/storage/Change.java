package dev.ippool.apiserver.storage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One change to one key, as a watch delivers it. A change is shared by every watcher that receives it, so what
 * is derived from it (a decoded object, an encoded event) can be computed once through {@link #memo}.
 */
public final class Change {

    /** A write or a delete. */
    public enum Type { PUT, DELETE }

    private final Type type;
    private final String key;
    private final KeyValue current;
    private final KeyValue previous;
    private final long revision;
    private final ConcurrentHashMap<Object, Object> memo = new ConcurrentHashMap<>();

    /**
     * @param current  the value after the change; {@code null} for a delete
     * @param previous the value before the change; {@code null} for a create
     * @param revision the revision of the change
     */
    public Change(Type type, String key, KeyValue current, KeyValue previous, long revision) {
        this.type = type;
        this.key = key;
        this.current = current;
        this.previous = previous;
        this.revision = revision;
    }

    public Type type() {
        return type;
    }

    public String key() {
        return key;
    }

    public KeyValue current() {
        return current;
    }

    public KeyValue previous() {
        return previous;
    }

    public long revision() {
        return revision;
    }

    /** This change with {@code previous} as the value before it, and nothing memoized. */
    public Change withPrevious(KeyValue previous) {
        return new Change(type, key, current, previous, revision);
    }

    /** Drops what was memoized; later callers compute it again. */
    public void forget() {
        memo.clear();
    }

    /**
     * A value derived from this change, computed once whatever the number of watchers asking for it (two racing
     * first callers may both compute; one result wins). Not computeIfAbsent: a computation may itself memo
     * another value of the same change (an encoded frame needs the decoded object), which ConcurrentHashMap
     * refuses as a recursive update.
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(Object memoKey, Supplier<T> compute) {
        Object known = memo.get(memoKey);
        if (known != null) {
            return (T) known;
        }
        Object computed = compute.get();
        Object raced = memo.putIfAbsent(memoKey, computed);
        return (T) (raced != null ? raced : computed);
    }

    @Override
    public String toString() {
        return type + " " + key + " @" + revision;
    }
}
