package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.Status;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.registry.fields.FieldManager;
import dev.ippool.apiserver.storage.Futures;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.StorageException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * POST, as kube's {@code Store.Create}: decode, default, validate, set managedFields, then one conditional write
 * (a taken generated name is generated again). One asynchronous chain serves both callers: an event loop takes
 * the stage, a worker waits for it.
 */
public final class Creator {

    private static final int GENERATE_NAME_ATTEMPTS = 8;

    private final ResourceRegistry registry;
    private final Strategy strategy;
    private final FieldManager fields;
    private final Names names;
    private final Clock clock;

    Creator(ResourceRegistry registry, Strategy strategy, FieldManager fields, Names names, Clock clock) {
        this.registry = registry;
        this.strategy = strategy;
        this.fields = fields;
        this.names = names;
        this.clock = clock;
    }

    /** The created object, with its resourceVersion (none under dryRun). Blocking: call from a worker. */
    public Written create(String namespace, Body body, WriteOptions options, Warnings warnings) {
        return Futures.join(createAsync(namespace, body, options, warnings));
    }

    /**
     * The create without waiting for etcd: decoding, validation and managedFields run on the caller's thread (a
     * bad request throws at once), the write completes the stage on a storage thread. Under dryRun the existence
     * check reads etcd and blocks: an event-loop caller leaves dryRun to a worker.
     */
    public CompletionStage<Written> createAsync(String namespace, Body body, WriteOptions options,
            Warnings warnings) {
        OptionChecks.write("CreateOptions", options, false);
        Namespaces.requireExists(namespace);
        Strategy.Decoded decoded = strategy.decode(body.value(), body.duplicates(), options.fieldValidation(),
                Strategy.Mode.BODY, warnings);
        ObjectNode metadata = decoded.metadata();
        Namespaces.matchRequest(namespace, metadata);
        strategy.prepareForCreate(metadata);
        String generateName = MetaRules.text(metadata, "generateName");
        boolean generated = MetaRules.text(metadata, "name").isEmpty() && !generateName.isEmpty();
        if (generated) {
            metadata.put("name", names.generate(generateName));
        }
        List<FieldError> errs = strategy.validate(decoded, null);
        if (!errs.isEmpty()) {
            throw strategy.invalid(MetaRules.text(metadata, "name"), errs);
        }
        if (!MetaRules.text(metadata, "resourceVersion").isEmpty()) {
            // kube answers 500 with this text; it is the client's mistake, so 400 (a deliberate difference)
            throw ApiException.badRequest("resourceVersion should not be set on objects to be created");
        }
        registry.warn(decoded.object(), warnings);
        fields.update(null, decoded.object(), options.manager(), clock.instant());
        return attempt(namespace, decoded.object(), generated ? generateName : null, options.isDryRun(), 1);
    }

    /** One attempt; a generated name that is taken is generated again, up to {@link #GENERATE_NAME_ATTEMPTS}. */
    private CompletionStage<Written> attempt(String namespace, ObjectNode object, String generateName,
            boolean dryRun, int attempt) {
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        String name = MetaRules.text(metadata, "name");
        return Futures.attempt(() -> once(namespace, name, object, dryRun)).exceptionallyCompose(error -> {
            Throwable cause = Futures.unwrap(error);
            if (!(cause instanceof StorageException e)) {
                return Futures.failed(cause);
            }
            if (!(e instanceof StorageException.AlreadyExists taken)) {
                return Futures.failed(StorageErrors.interpret(e, registry.resource(), "create", name));
            }
            if (generateName == null) {
                return Futures.failed(alreadyExists(name, taken.current()));
            }
            if (attempt == GENERATE_NAME_ATTEMPTS) {
                ApiException base = ApiException.alreadyExists(registry.resource(), name);
                return Futures.failed(new ApiException(Status.failure(409, "AlreadyExists", base.getMessage()
                        + ", the server was not able to generate a unique name for the object",
                        base.status().details().withRetryAfter(1))));
            }
            metadata.put("name", names.generate(generateName));
            return attempt(namespace, object, generateName, dryRun, attempt + 1);
        });
    }

    /**
     * One create of {@code object} under {@code name}; fails with StorageExceptions. Blocking under dryRun. The
     * response is spliced from the stored bytes, as kube answers with what it read back from etcd: encoding the
     * object a second time was a tenth of a small POST's CPU.
     */
    CompletionStage<Written> once(String namespace, String name, ObjectNode object, boolean dryRun) {
        String key = registry.keys().key(namespace, name);
        if (dryRun) {
            // kube's dry-run storage still answers AlreadyExists for an existing key
            registry.store().get(key).value().ifPresent(kv -> {
                throw new StorageException.AlreadyExists(kv);
            });
            return CompletableFuture.completedFuture(new Written(object));
        }
        StoredForms forms = registry.forms();
        return registry.withoutManagedFieldsIfTooLarge(object, forms.encode(object),
                b -> registry.store().createAsync(key, b)).thenApply(stored -> {
                    forms.written(new KeyValue(key, stored.bytes(), stored.revision(), stored.revision()), object);
                    return Written.stored(object, stored.bytes(), stored.revision());
                });
    }

    private ApiException alreadyExists(String name, KeyValue current) {
        ApiException base = ApiException.alreadyExists(registry.resource(), name);
        if (registry.decode(current).path("metadata").has("deletionTimestamp")) {
            return new ApiException(Status.failure(409, "AlreadyExists", "object is being deleted: "
                    + base.getMessage(), base.status().details()));
        }
        return base;
    }
}
