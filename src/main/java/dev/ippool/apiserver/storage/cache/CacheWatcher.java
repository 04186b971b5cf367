package dev.ippool.apiserver.storage.cache;

import dev.ippool.apiserver.storage.Change;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.storage.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One client watch on a {@link WatchCache}: its sub-prefix and start filter. A listener that throws is dropped
 * (and told so) rather than allowed to break the resource's one etcd watch, which every other client shares.
 */
final class CacheWatcher {

    private final String subPrefix;
    private final long afterRevision;
    private final WatchListener listener;
    private final BiConsumer<CacheWatcher, RuntimeException> onFailure;

    CacheWatcher(String subPrefix, long afterRevision, WatchListener listener,
            BiConsumer<CacheWatcher, RuntimeException> onFailure) {
        this.subPrefix = subPrefix;
        this.afterRevision = afterRevision;
        this.listener = listener;
        this.onFailure = onFailure;
    }

    /** The changes this watch wants, in one call (whole revisions stay together). */
    void offer(List<Change> changes) {
        List<Change> wanted = changes; // the usual case, every change wanted, copies nothing (a fan-out's hot path)
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            boolean wants = change.revision() > afterRevision && change.key().startsWith(subPrefix);
            if (!wants && wanted == changes) {
                wanted = new ArrayList<>(changes.subList(0, i));
            } else if (wants && wanted != changes) {
                wanted.add(change);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        try {
            listener.onChanges(wanted);
        } catch (RuntimeException e) {
            drop(e);
        }
    }

    void progress(long revision) {
        if (revision > afterRevision) {
            try {
                listener.onProgress(revision);
            } catch (RuntimeException e) {
                drop(e);
            }
        }
    }

    private void drop(RuntimeException e) {
        onFailure.accept(this, e);
        try {
            listener.onError(new StorageException.Unavailable("watch failed: " + e, e));
        } catch (RuntimeException ignored) {
            // it failed already; nothing more to tell it
        }
    }

    void end(StorageException error) {
        listener.onError(error == null ? new StorageException.Unavailable("watch cache restarting", null) : error);
    }
}
