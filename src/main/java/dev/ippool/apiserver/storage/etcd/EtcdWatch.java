package dev.ippool.apiserver.storage.etcd;

import static dev.ippool.apiserver.storage.etcd.EtcdStore.bytes;
import static dev.ippool.apiserver.storage.etcd.EtcdStore.rangeEnd;

import dev.ippool.apiserver.storage.Change;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.storage.Subscription;
import dev.ippool.apiserver.storage.WatchListener;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** One etcd watch through jetcd, its responses handed to a {@link WatchListener} as {@link EtcdStore#watch} says. */
final class EtcdWatch {

    private EtcdWatch() {
    }

    /**
     * Watches {@code prefix} from after {@code afterRevision}, with previous values when {@code previous}. Once
     * {@code storeClosed} holds, the watch's end is on purpose and its listener hears nothing of it.
     */
    static Subscription start(Watch watch, JetcdMessages messages, String prefix, long afterRevision,
            boolean previous, WatchListener listener, BooleanSupplier storeClosed) {
        WatchOption option = WatchOption.builder()
                .withRange(bytes(rangeEnd(prefix)))
                .withRevision(afterRevision + 1)
                .withPrevKV(previous)
                .withProgressNotify(true)
                .build();
        AtomicBoolean ended = new AtomicBoolean();
        Watch.Watcher watcher = watch.watch(bytes(prefix), option, new Watch.Listener() {
            @Override
            public void onNext(WatchResponse response) {
                if (ended.get()) {
                    return;
                }
                List<Change> changes = messages.changes(response);
                if (changes.isEmpty()) {
                    if (response.isProgressNotify()) {
                        listener.onProgress(response.getHeader().getRevision());
                    }
                    return;
                }
                // one response holds whole revisions: handed over together, a revision is applied whole
                listener.onChanges(changes);
            }

            @Override
            public void onError(Throwable error) {
                if (ended.compareAndSet(false, true) && !storeClosed.getAsBoolean()) {
                    listener.onError(error instanceof CompactedException compacted
                            ? new StorageException.Compacted(afterRevision, compacted.getCompactedRevision(), error)
                            : new StorageException.Unavailable("etcd watch failed: " + error.getMessage(), error));
                }
            }

            @Override
            public void onCompleted() {
                if (ended.compareAndSet(false, true) && !storeClosed.getAsBoolean()) {
                    listener.onError(new StorageException.Unavailable("etcd watch completed", null));
                }
            }
        });
        return () -> {
            ended.set(true);
            watcher.close();
        };
    }
}
