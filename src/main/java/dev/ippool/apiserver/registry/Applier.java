package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.registry.fields.FieldManager;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.StorageException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Server-side apply ({@code application/apply-patch+yaml}), as kube's applyPatcher: the configuration is merged
 * into the live object by the field manager, which records ownership and refuses to take fields another
 * manager owns unless {@code force}; an object that does not exist is created (201). Lost etcd races re-run the
 * whole apply on the new state.
 */
public final class Applier {

    /** The applied object, and whether the apply created it (201) rather than updated it (200). */
    public record Applied(ObjectNode object, boolean created) {
    }

    private final ResourceRegistry registry;
    private final Strategy strategy;
    private final FieldManager fields;
    private final Clock clock;

    Applier(ResourceRegistry registry, Strategy strategy, FieldManager fields, Clock clock) {
        this.registry = registry;
        this.strategy = strategy;
        this.fields = fields;
        this.clock = clock;
    }

    public Applied apply(String namespace, String name, Body body, WriteOptions options, Warnings warnings) {
        registry.keys().checkName(name);
        OptionChecks.write("PatchOptions", options, true);
        if (options.fieldManager().isEmpty()) {
            throw ApiException.invalidOptions("PatchOptions", List.of(
                    FieldError.required("fieldManager", "is required for apply patch")));
        }
        boolean force = Boolean.TRUE.equals(options.force());
        for (int attempt = 1; ; attempt++) {
            Warnings attemptWarnings = new Warnings();
            // prune the configuration (and apply fieldValidation to it) before it names any field
            Strategy.Decoded config = strategy.decode(body.value().deepCopy(), body.duplicates(),
                    options.fieldValidation(), Strategy.Mode.PATCH, attemptWarnings);
            Namespaces.matchRequest(namespace, config.metadata());
            if (MetaRules.text(config.metadata(), "name").isEmpty()) {
                config.metadata().put("name", name);
            }
            Namespaces.matchName(name, config.metadata());
            Optional<KeyValue> current = registry.call("get", name,
                    () -> registry.store().get(registry.keys().key(namespace, name))).value();
            try {
                Applied applied = current.isEmpty()
                        ? create(namespace, config, options, force, attemptWarnings)
                        : update(namespace, name, config, current.get(), options, force, attemptWarnings);
                attemptWarnings.messages().forEach(warnings::add);
                return applied;
            } catch (StorageException.Conflict | StorageException.AlreadyExists e) {
                if (attempt == ResourceRegistry.MAX_PATCH_ATTEMPTS) {
                    throw registry.conflict(name);
                }
            }
        }
    }

    private Applied create(String namespace, Strategy.Decoded config, WriteOptions options, boolean force,
            Warnings warnings) {
        ObjectNode object = fields.apply(null, config.object(), options.fieldManager(), force, clock.instant());
        if (!MetaRules.text((ObjectNode) object.get("metadata"), "resourceVersion").isEmpty()) {
            throw ApiException.badRequest("resourceVersion should not be set on objects to be created");
        }
        return new Applied(createApplied(namespace, object, options, warnings), true);
    }

    private Applied update(String namespace, String name, Strategy.Decoded config, KeyValue current,
            WriteOptions options, boolean force, Warnings warnings) {
        ObjectNode live = registry.decode(current);
        String rv = MetaRules.text(config.metadata(), "resourceVersion");
        if (!rv.isEmpty() && !rv.equals(Long.toString(current.modRevision()))) {
            throw registry.conflict(name);
        }
        ObjectNode merged = fields.apply(live, config.object(), options.fieldManager(), force, clock.instant());
        ((ObjectNode) merged.get("metadata")).put("resourceVersion", Long.toString(current.modRevision()));
        Strategy.Decoded decoded = strategy.decode(merged, List.of(), "Ignore", Strategy.Mode.PATCH, warnings);
        return new Applied(registry.write(namespace, name, decoded, current, options, false, warnings).object(),
                false);
    }

    /** The create tail for an object built by server-side apply (managedFields already set). */
    private ObjectNode createApplied(String namespace, ObjectNode object, WriteOptions options, Warnings warnings) {
        Namespaces.requireExists(namespace);
        Strategy.Decoded decoded = strategy.decode(object, List.of(), "Ignore", Strategy.Mode.PATCH, warnings);
        ObjectNode metadata = decoded.metadata();
        strategy.prepareForCreate(metadata);
        List<FieldError> errs = strategy.validate(decoded, null);
        if (!errs.isEmpty()) {
            throw strategy.invalid(MetaRules.text(metadata, "name"), errs);
        }
        registry.warn(decoded.object(), warnings);
        String name = MetaRules.text(metadata, "name");
        try {
            return registry.createOnce(namespace, name, decoded.object(), options.isDryRun());
        } catch (StorageException.AlreadyExists e) {
            throw e;
        } catch (StorageException e) {
            throw StorageErrors.interpret(e, registry.resource(), "patch", name);
        }
    }
}
