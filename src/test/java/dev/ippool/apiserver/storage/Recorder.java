package dev.ippool.apiserver.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link WatchListener} that queues what it receives, for tests to take in order. */
final class Recorder implements WatchListener {

    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();

    @Override
    public void onChange(Change change) {
        received.add(change);
    }

    @Override
    public void onError(StorageException error) {
        received.add(error);
    }

    /** The next change, failing the test if none comes within 10 s or an error comes instead. */
    Change next() throws InterruptedException {
        Object o = received.poll(10, TimeUnit.SECONDS);
        if (o instanceof Change c) {
            return c;
        }
        throw new AssertionError("expected a change, got " + o);
    }

    List<Change> next(int n) throws InterruptedException {
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    /** The next error, failing the test if none comes within 10 s. */
    StorageException error() throws InterruptedException {
        Object o = received.poll(10, TimeUnit.SECONDS);
        if (o instanceof StorageException e) {
            return e;
        }
        throw new AssertionError("expected an error, got " + o);
    }

    /** Nothing more arrives within {@code millis}. */
    boolean quietFor(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS) == null;
    }
}
