package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.GroupResource;
import dev.ippool.apiserver.api.RawJson;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.registry.fields.FieldManager;
import dev.ippool.apiserver.registry.fields.Structure;
import dev.ippool.apiserver.storage.Futures;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.Snapshot;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.storage.Store;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The verbs on single objects of one resource, generic over its {@link ResourceDefinition}: kube's
 * {@code registry/generic/registry/store.go}. The verbs live in their own classes ({@link Getter}, {@link Creator},
 * {@link Updater}, {@link Patcher}, {@link Applier}); this one holds what they share, above all the tail of every
 * update ({@link #writeAsync}). Methods without {@code Async} block: call them from a worker.
 */
public final class ResourceRegistry {

    /** Whether a PATCH body is an RFC 6902 JSON patch or an RFC 7386 merge patch. */
    public enum PatchType { JSON_PATCH, MERGE_PATCH }

    static final int MAX_PATCH_ATTEMPTS = 1000;

    private final ResourceDefinition definition;
    private final Store store;
    private final Codec codec;
    private final Strategy strategy;
    private final Keys keys;
    private final Clock clock;
    private final FieldManager fields;
    private final Applier applier;
    private final Patcher patcher;
    private final StoredForms forms;
    private final Getter getter;
    private final Creator creator;
    private final Updater updater;
    private final KeyTurns turns = new KeyTurns();

    public ResourceRegistry(ResourceDefinition definition, Store store, Codec codec, Names names, Clock clock,
            String keyPrefix) {
        this.definition = definition;
        this.store = store;
        this.codec = codec;
        this.forms = new StoredForms(codec);
        this.getter = new Getter(this);
        this.strategy = new Strategy(definition, codec, clock);
        this.keys = new Keys(keyPrefix, definition);
        this.clock = clock;
        this.fields = new FieldManager(new Structure(definition), definition.apiVersion());
        this.applier = new Applier(this, strategy, fields, clock);
        this.creator = new Creator(this, strategy, fields, names, clock);
        this.patcher = new Patcher(this, strategy);
        this.updater = new Updater(this, strategy);
    }

    public ResourceDefinition definition() {
        return definition;
    }

    Keys keys() {
        return keys;
    }

    Strategy strategy() {
        return strategy;
    }

    Store store() {
        return store;
    }

    /** This server's read-modify-writes, one key at a time (see {@link KeyTurns}). */
    KeyTurns turns() {
        return turns;
    }

    Codec codec() {
        return codec;
    }

    /** GET: the reads of one object, as the response bytes. */
    public Getter getter() {
        return getter;
    }

    /** POST: the creates of objects. */
    public Creator creator() {
        return creator;
    }

    /** PUT: the replacements of objects. */
    public Updater updater() {
        return updater;
    }

    public Applier applier() {
        return applier;
    }

    /** One create of {@code object} under {@code name}; throws StorageExceptions. Blocking. */
    ObjectNode createOnce(String namespace, String name, ObjectNode object, boolean dryRun) {
        return Futures.join(creator.once(namespace, name, object, dryRun)).object();
    }


    /** PATCH with a JSON or merge patch; see {@link Patcher#patchAsync}. */
    public CompletionStage<Written> patchAsync(String namespace, String name, PatchType type, JsonNode patch,
            WriteOptions options, Warnings warnings, Offload offload) {
        return patcher.patchAsync(namespace, name, type, patch, options, warnings, offload);
    }

    /**
     * The shared tail of update and patch: update rules, validation, finalizer-driven deletion, no-op detection
     * and the conditional write. Throws {@link StorageException.Conflict} for the caller to decide on.
     */
    Written write(String namespace, String name, Strategy.Decoded decoded, KeyValue current,
            WriteOptions options, boolean recordUpdate, Warnings warnings) {
        return write(namespace, name, decoded, current, decode(current), options, recordUpdate, warnings);
    }

    /** As above, with {@code current} already decoded (and not modified) by the caller: a large pool parses once. */
    Written write(String namespace, String name, Strategy.Decoded decoded, KeyValue current, ObjectNode old,
            WriteOptions options, boolean recordUpdate, Warnings warnings) {
        return Futures.join(Futures.attempt(() -> writeAsync(namespace, name, decoded, current, old, options,
                recordUpdate, warnings)));
    }

    /**
     * {@link #write} up to the etcd write, whose completion completes the stage (on a storage thread): rules,
     * validation and encoding run on the caller's thread and throw an API error at once. The stage fails with
     * {@link StorageException.Conflict} for the caller to decide on, or an API error.
     */
    CompletionStage<Written> writeAsync(String namespace, String name, Strategy.Decoded decoded, KeyValue current,
            ObjectNode old, WriteOptions options, boolean recordUpdate, Warnings warnings) {
        boolean dryRun = options.isDryRun();
        ObjectNode object = decoded.object();
        strategy.prepareForUpdate(object, old);
        if (recordUpdate) {
            fields.update(old, object, options.manager(), clock.instant());
        }
        fields.keepTimestampsIfUnchanged(old, object);
        List<FieldError> errs = strategy.validate(decoded, old);
        if (!errs.isEmpty()) {
            throw strategy.invalid(name, errs);
        }
        warn(object, warnings);
        String key = keys.key(namespace, name);
        ObjectNode metadata = decoded.metadata();
        if (metadata.has("deletionTimestamp") && MetaRules.strings(metadata.get("finalizers")).isEmpty()) {
            // the last finalizer is gone from an object being deleted: delete it now
            if (dryRun) {
                return CompletableFuture.completedFuture(new Written(object));
            }
            return StorageErrors.interpreted(store.deleteAsync(key, current.modRevision()).thenApply(revision -> {
                metadata.put("resourceVersion", Long.toString(revision));
                return new Written(object);
            }), resource(), "update", name);
        }
        byte[] bytes = forms.encode(object);
        boolean noOp = Arrays.equals(bytes, current.value());
        if (noOp || dryRun) {
            metadata.put("resourceVersion", Long.toString(current.modRevision()));
            return CompletableFuture.completedFuture(new Written(noOp ? old : object));
        }
        CompletionStage<Stored> written = recordUpdate
                ? withoutManagedFieldsIfTooLarge(object, bytes, b -> store.updateAsync(key, b, current.modRevision()))
                : store.updateAsync(key, bytes, current.modRevision()).thenApply(revision -> new Stored(bytes, revision));
        return StorageErrors.interpreted(written.thenApply(stored -> {
            forms.written(new KeyValue(key, stored.bytes(), current.createRevision(), stored.revision()), object);
            return Written.stored(object, stored.bytes(), stored.revision());
        }), resource(), "update", name);
    }

    /** What reached storage: the bytes written and the revision they got. */
    record Stored(byte[] bytes, long revision) {
    }

    /**
     * kube's create, update and non-apply patch retry once without managedFields when storage refuses the
     * object as too large, so bookkeeping never makes a write fail that would fit without it.
     */
    CompletionStage<Stored> withoutManagedFieldsIfTooLarge(ObjectNode object, byte[] encoded,
            Function<byte[], CompletionStage<Long>> write) {
        return Futures.attempt(() -> write.apply(encoded).thenApply(r -> new Stored(encoded, r)))
                .exceptionallyCompose(error -> {
                    ObjectNode metadata = (ObjectNode) object.get("metadata");
                    if (Futures.unwrap(error) instanceof StorageException.TooLarge
                            && metadata.remove("managedFields") != null) {
                        byte[] smaller = forms.encode(object);
                        return Futures.attempt(() -> write.apply(smaller).thenApply(r -> new Stored(smaller, r)));
                    }
                    return Futures.failed(error);
                });
    }

    /**
     * The consistent read of a write's starting point, without blocking where the store reads so, else on
     * {@code blocking}; fails with the API error (404 when absent).
     */
    CompletionStage<KeyValue> readAsync(String namespace, String name, String operation,
            java.util.concurrent.Executor blocking) {
        String key = keys.key(namespace, name);
        return storeAsync(() -> store.getAsync(key), () -> store.get(key), blocking, operation, name)
                .thenApply(snapshot -> snapshot.value().orElseThrow(() -> ApiException.notFound(resource(), name)));
    }

    /**
     * Whether the object exists, by a linearizable read of its mod revision only (the value stays in etcd), as
     * {@link #readAsync} reads; fails with the API error (404 when absent).
     */
    CompletionStage<Long> existsAsync(String namespace, String name, String operation,
            java.util.concurrent.Executor blocking) {
        String key = keys.key(namespace, name);
        return storeAsync(() -> store.stampAsync(key), () -> store.stamp(key), blocking, operation, name)
                .thenApply(stamp -> {
                    if (stamp.modRevision() == 0) {
                        throw ApiException.notFound(resource(), name);
                    }
                    return stamp.modRevision();
                });
    }

    /** The store's own asynchronous read where it has one, else its blocking read on {@code blocking}. */
    private <T> CompletionStage<T> storeAsync(java.util.function.Supplier<java.util.Optional<CompletionStage<T>>> async,
            java.util.function.Supplier<T> blockingRead, java.util.concurrent.Executor blocking, String operation,
            String name) {
        return StorageErrors.interpreted(Futures.attempt(() -> async.get()
                .orElseGet(() -> CompletableFuture.supplyAsync(blockingRead, blocking))), resource(), operation, name);
    }

    KeyValue read(String namespace, String name, String operation) {
        Snapshot snapshot = call(operation.equals("patch") ? "get" : operation, name,
                () -> store.get(keys.key(namespace, name)));
        return snapshot.value().orElseThrow(() -> ApiException.notFound(resource(), name));
    }

    /** A cached, possibly stale copy for an optimistic first write attempt; see {@link Store#possiblyStale}. */
    java.util.Optional<KeyValue> possiblyStale(String namespace, String name) {
        return store.possiblyStale(keys.key(namespace, name));
    }

    ApiException conflict(String name) {
        return ApiException.conflict(resource(), name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    /** The stored form of this resource's objects and what is made from it. */
    StoredForms forms() {
        return forms;
    }

    /** See {@link StoredForms#decode}. */
    ObjectNode decode(KeyValue kv) {
        return forms.decode(kv);
    }

    void warn(ObjectNode object, Warnings warnings) {
        definition.advisor().apply(object).forEach(warnings::add);
    }

    GroupResource resource() {
        return definition.groupResource();
    }

    <T> T call(String operation, String name, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (StorageException e) {
            throw StorageErrors.interpret(e, resource(), operation, name);
        }
    }
}
