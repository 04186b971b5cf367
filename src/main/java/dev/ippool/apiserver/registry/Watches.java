package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.ListOptions;
import dev.ippool.apiserver.storage.Change;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.Page;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.storage.Subscription;
import dev.ippool.apiserver.storage.WatchListener;
import java.util.ArrayList;
import java.util.List;

/**
 * WATCH of one resource, as kube's handlers/watch.go and cacher serve it: {@link #prepare} validates (errors
 * are normal responses), then {@link Plan#start} sends the initial state the options ask for and follows the
 * store's changes, turning each into ADDED / MODIFIED / DELETED with kube's selector transition rule.
 */
public final class Watches {

    private final ResourceRegistry registry;
    private final WatchFrames frames;

    public Watches(ResourceRegistry registry) {
        this.registry = registry;
        this.frames = new WatchFrames(registry.codec(), registry.definition());
    }

    /** Validates the options of a watch; throws the 4xx kube would answer before any byte is streamed. */
    public Plan prepare(String namespace, ListOptions options, EventView view) {
        OptionChecks.watch(options);
        Selector selector = Selector.parse(options.labelSelector(), options.fieldSelector());
        long requested = OptionChecks.resourceVersion(options.resourceVersion());
        String prefix = namespace == null ? registry.keys().all() : registry.keys().namespace(namespace);
        try {
            registry.store().requireReady(prefix);
        } catch (StorageException e) {
            throw StorageErrors.interpret(e, registry.resource(), "watch", "");
        }
        return new Plan(prefix, options, selector, requested, view);
    }

    /** A validated watch, ready to stream. */
    public final class Plan {
        private final String prefix;
        private final ListOptions options;
        private final Selector selector;
        private final long requested;
        private final EventView view;

        Plan(String prefix, ListOptions options, Selector selector, long requested, EventView view) {
            this.prefix = prefix;
            this.options = options;
            this.selector = selector;
            this.requested = requested;
            this.view = view;
        }

        /**
         * Sends the initial events and subscribes. Blocking (it may list): call it on a worker thread, after the
         * response head went out. Errors from here on are ERROR events on the stream.
         */
        public Stream start(WatchSink sink) {
            Stream stream = new Stream(sink);
            try {
                long after;
                if (sendsInitialEvents()) {
                    long minimum = options.resourceVersion().isEmpty() ? currentRevision() : requested;
                    Page snapshot = registry.store().listNotOlderThan(prefix, minimum);
                    after = stream.initial(snapshot, options.allowWatchBookmarks());
                } else {
                    after = options.resourceVersion().isEmpty() ? currentRevision() : requested;
                }
                stream.follow(after);
            } catch (StorageException.Compacted e) {
                stream.fail(ApiException.expired("too old resource version: " + requested + " (" + e.oldest() + ")"));
            } catch (StorageException.FutureRevision e) {
                stream.fail(StorageErrors.tooLargeResourceVersion(e.requested(), e.current()));
            } catch (StorageException e) {
                stream.fail(StorageErrors.interpret(e, registry.resource(), "watch", ""));
            } catch (ApiException e) {
                stream.fail(e);
            }
            return stream;
        }

        /**
         * kube 1.32 (WatchList on by default) defaults a watch from no or "0" resourceVersion without
         * {@code sendInitialEvents} to {@code sendInitialEvents=true&resourceVersionMatch=NotOlderThan}: the same
         * initial ADDEDs, and with bookmarks allowed the bookmark that ends them (SetListOptionsDefaults).
         */
        private boolean sendsInitialEvents() {
            Boolean initial = options.sendInitialEvents();
            if (initial != null) {
                return initial;
            }
            return options.resourceVersion().isEmpty() || options.resourceVersion().equals("0");
        }

        private long currentRevision() {
            return registry.store().get(registry.keys().all()).revision();
        }

        public boolean bookmarks() {
            return options.allowWatchBookmarks();
        }

        /** The frames of one client watch; every send happens under the stream's lock, so frames never interleave. */
        public final class Stream implements WatchListener {
            private final WatchSink sink;
            private Subscription subscription;
            private long revision;
            private boolean done;
            private boolean first = true;

            /** This stream's frame memo keys by type and first-ness, built once (looked up per watcher per change). */
            private final java.util.Map<String, String[]> frameKeys = java.util.Map.of(
                    "ADDED", keys("ADDED"), "MODIFIED", keys("MODIFIED"), "DELETED", keys("DELETED"));

            private String[] keys(String type) {
                return new String[] {type + "/" + view.key() + "/false", type + "/" + view.key() + "/true"};
            }

            private String frameKey(String type, boolean first) {
                return frameKeys.get(type)[first ? 1 : 0];
            }

            Stream(WatchSink sink) {
                this.sink = sink;
            }

            long initial(Page snapshot, boolean endBookmark) {
                List<byte[]> out = new ArrayList<>();
                boolean firstFrame = true;
                for (KeyValue kv : snapshot.items()) {
                    ObjectNode object = registry.decode(kv);
                    if (selector.matches(object)) {
                        out.add(frames.event("ADDED", view.object(object, firstFrame)));
                        firstFrame = false;
                    }
                }
                if (endBookmark) {
                    out.add(frames.event("BOOKMARK",
                            view.bookmark(frames.bookmark(snapshot.revision(), true), firstFrame)));
                }
                synchronized (this) {
                    revision = snapshot.revision();
                    for (byte[] frame : out) {
                        if (!send(frame)) {
                            break;
                        }
                    }
                }
                return snapshot.revision();
            }

            void follow(long after) {
                Subscription s = registry.store().watch(prefix, after, this);
                synchronized (this) {
                    revision = Math.max(revision, after);
                    if (done) {
                        s.close();
                    } else {
                        subscription = s;
                    }
                }
            }

            @Override
            public void onChange(Change change) {
                String type;
                boolean selects = !selector.isEmpty();
                boolean now = change.current() != null && (!selects || selector.matches(current(change)));
                boolean before = change.previous() != null && (!selects || selector.matches(previous(change)));
                if (now && before) {
                    type = "MODIFIED";
                } else if (now) {
                    type = "ADDED";
                } else if (before) {
                    type = "DELETED";
                } else {
                    synchronized (this) {
                        revision = change.revision();
                    }
                    return;
                }
                synchronized (this) {
                    boolean firstFrame = first;
                    byte[] frame = change.memo(frameKey(type, firstFrame), () -> frames.event(type,
                            view.object(type.equals("DELETED") ? deletedState(change) : current(change), firstFrame)));
                    revision = change.revision();
                    send(frame);
                }
            }

            /** A batch under the stream's lock: a bookmark never lands between two changes of one revision. */
            @Override
            public synchronized void onChanges(List<Change> changes) {
                changes.forEach(this::onChange);
            }

            @Override
            public synchronized void onProgress(long progress) {
                revision = Math.max(revision, progress);
            }

            @Override
            public void onError(StorageException error) {
                if (error instanceof StorageException.Compacted c) {
                    fail(ApiException.expired("too old resource version: " + c.requested() + " (" + c.oldest() + ")"));
                } else {
                    close();
                }
            }

            /** A bookmark at the last revision this client has seen everything up to. */
            public synchronized void bookmark() {
                if (revision > 0) {
                    send(frames.event("BOOKMARK", view.bookmark(frames.bookmark(revision, false), first)));
                }
            }

            synchronized void fail(ApiException e) {
                send(frames.error(e.status()));
                close();
            }

            /** Ends the stream and releases the subscription. Idempotent. */
            public synchronized void close() {
                if (!done) {
                    done = true;
                    if (subscription != null) {
                        subscription.close();
                    }
                    sink.end();
                }
            }

            private boolean send(byte[] frame) {
                if (done) {
                    return false;
                }
                first = false;
                if (!sink.send(frame)) {
                    close();
                    return false;
                }
                return true;
            }
        }
    }

    private ObjectNode current(Change change) {
        return change.memo("current", () -> registry.decode(change.current()));
    }

    private ObjectNode previous(Change change) {
        return change.memo("previous", () -> registry.decode(change.previous()));
    }

    /** DELETED carries the last state, with the deletion's revision as its resourceVersion. */
    private ObjectNode deletedState(Change change) {
        ObjectNode object = previous(change).deepCopy();
        ((ObjectNode) object.get("metadata")).put("resourceVersion", Long.toString(change.revision()));
        return object;
    }

}
