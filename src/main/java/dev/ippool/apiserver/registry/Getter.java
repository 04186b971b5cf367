package dev.ippool.apiserver.registry;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.RawJson;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.Snapshot;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * GET of one object, answered as the response bytes spliced from the stored ones (no tree of the object is
 * built): 404 if absent; a {@code resourceVersion} N ahead of the store is 504 as in kube.
 */
public final class Getter {

    private final ResourceRegistry registry;

    Getter(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** The object; blocking (it may read etcd or wait for the watch cache): call it from a worker. */
    public RawJson get(String namespace, String name, String resourceVersion) {
        registry.keys().checkName(name);
        long minimum = OptionChecks.resourceVersion(resourceVersion);
        String key = registry.keys().key(namespace, name);
        // "" is a consistent read; "0" and N may be served from the watch cache (kube's cacher does the same)
        Snapshot snapshot = registry.call("get", name, () -> resourceVersion.isEmpty() ? registry.store().get(key)
                : registry.store().getNotOlderThan(key, minimum));
        if (minimum > snapshot.revision()) {
            throw StorageErrors.tooLargeResourceVersion(minimum, snapshot.revision());
        }
        return encoded(name, snapshot);
    }

    /**
     * The same answer, if it can be given now without I/O or waiting: {@code resourceVersion} "0" or N that the
     * watch cache has reached, for an object of at most {@code maxBytes} stored (or none: the 404). Empty when
     * {@link #get} must answer. Safe on an event loop: it takes the cache's lock only to look the key up.
     */
    public Optional<RawJson> getNow(String namespace, String name, String resourceVersion, int maxBytes) {
        if (resourceVersion.isEmpty()) {
            return Optional.empty();
        }
        registry.keys().checkName(name);
        long minimum = OptionChecks.resourceVersion(resourceVersion);
        return registry.store().getNotOlderThanNow(registry.keys().key(namespace, name), minimum)
                .filter(s -> s.value().map(kv -> kv.value().length <= maxBytes).orElse(true))
                .map(s -> encoded(name, s));
    }

    /**
     * The consistent read ({@code resourceVersion} ""), without blocking, where the store can read so (see
     * {@link dev.ippool.apiserver.storage.Store#getAsync}): the stage fails with the API error. Empty when
     * {@link #get} must answer.
     */
    public Optional<CompletionStage<RawJson>> getAsync(String namespace, String name) {
        registry.keys().checkName(name);
        return registry.store().getAsync(registry.keys().key(namespace, name)).map(read -> StorageErrors
                .interpreted(read, registry.resource(), "get", name).thenApply(snapshot -> encoded(name, snapshot)));
    }

    private RawJson encoded(String name, Snapshot snapshot) {
        KeyValue kv = snapshot.value().orElseThrow(() -> ApiException.notFound(registry.resource(), name));
        return registry.forms().encoded(kv);
    }
}
