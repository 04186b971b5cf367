package dev.ippool.apiserver.storage;

/**
 * What a {@link Store} can fail with. The family is closed so the registry maps every case, in one place, to
 * the API error kube-apiserver would give.
 */
public abstract sealed class StorageException extends RuntimeException permits StorageException.NotFound,
        StorageException.AlreadyExists, StorageException.Conflict, StorageException.Compacted,
        StorageException.FutureRevision, StorageException.Unavailable, StorageException.TooLarge,
        StorageException.NotReady {

    StorageException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** The key does not exist. */
    public static final class NotFound extends StorageException {
        public NotFound(String key) {
            super("key not found: " + key, null);
        }
    }

    /** A create found the key already there. */
    public static final class AlreadyExists extends StorageException {
        private final transient KeyValue current;

        public AlreadyExists(KeyValue current) {
            super("key exists: " + current.key(), null);
            this.current = current;
        }

        public KeyValue current() {
            return current;
        }
    }

    /** A conditional write lost a race; {@link #current()} is the value that won, read in the same transaction. */
    public static final class Conflict extends StorageException {
        private final transient KeyValue current;

        public Conflict(KeyValue current) {
            super("revision conflict on " + current.key(), null);
            this.current = current;
        }

        public KeyValue current() {
            return current;
        }
    }

    /** The requested revision is older than the store's history. */
    public static final class Compacted extends StorageException {
        private final long requested;
        private final long oldest;

        public Compacted(long requested, Throwable cause) {
            this(requested, 0, cause);
        }

        /** @param oldest the oldest revision a watch may start after, when known (0 otherwise) */
        public Compacted(long requested, long oldest, Throwable cause) {
            super("revision " + requested + " has been compacted", cause);
            this.requested = requested;
            this.oldest = oldest;
        }

        public long requested() {
            return requested;
        }

        public long oldest() {
            return oldest;
        }
    }

    /** A cache is (re)initialising and cannot answer yet. */
    public static final class NotReady extends StorageException {
        public NotReady(String message) {
            super(message, null);
        }
    }

    /** The requested revision is newer than anything the store has written. */
    public static final class FutureRevision extends StorageException {
        private final long requested;
        private final long current;

        public FutureRevision(long requested, long current) {
            super("revision " + requested + " is ahead of " + current, null);
            this.requested = requested;
            this.current = current;
        }

        public long requested() {
            return requested;
        }

        public long current() {
            return current;
        }
    }

    /** The backend did not answer within the deadline, or is down. */
    public static final class Unavailable extends StorageException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The backend refused the value for its size. */
    public static final class TooLarge extends StorageException {
        public TooLarge(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
