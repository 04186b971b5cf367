package dev.ippool.apiserver.registry;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.storage.Futures;
import dev.ippool.apiserver.storage.StorageException;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** PUT, as kube's {@code Store.Update} without create-on-update: read, check the resourceVersion, write. */
public final class Updater {

    private final ResourceRegistry registry;
    private final Strategy strategy;

    Updater(ResourceRegistry registry, Strategy strategy) {
        this.registry = registry;
        this.strategy = strategy;
    }

    /**
     * PUT: replaces an existing object; never creates (404), requires its resourceVersion (422, then 409). The
     * body is decoded on the caller's thread (a bad one throws at once); the read and the write complete the
     * stage, which fails with the API error.
     */
    public CompletionStage<Written> updateAsync(String namespace, String name, Body body, WriteOptions options,
            Warnings warnings, Offload offload) {
        registry.keys().checkName(name);
        OptionChecks.write("UpdateOptions", options, false);
        Strategy.Decoded decoded = strategy.decode(body.value(), body.duplicates(), options.fieldValidation(),
                Strategy.Mode.BODY, warnings);
        Namespaces.matchRequest(namespace, decoded.metadata());
        Namespaces.matchName(name, decoded.metadata());
        String rv = MetaRules.text(decoded.metadata(), "resourceVersion");
        return registry.turns().take(registry.keys().key(namespace, name), offload.resume(), () -> registry
                .readAsync(namespace, name, "update", offload.blocking())
                .thenCompose(current -> offload.resumed(() -> {
                    if (rv.isEmpty()) {
                        throw ApiException.invalid(registry.resource().toString(), registry.definition().group(),
                                registry.definition().plural(), name, List.of(FieldError.invalid(
                                        "metadata.resourceVersion", new FieldError.GoLiteral("0x0"),
                                        "must be specified for an update")));
                    }
                    if (!rv.equals(Long.toString(current.modRevision()))) {
                        throw registry.conflict(name);
                    }
                    return registry.writeAsync(namespace, name, decoded, current, registry.decode(current), options,
                            true, warnings);
                }))
                .exceptionallyCompose(error -> Futures.failed(Futures.unwrap(error) instanceof StorageException.Conflict
                        ? registry.conflict(name) : error)));
    }
}
