package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.StorageException;
import java.util.List;

/** JSON patch and merge patch of one resource, as kube's jsonPatcher: the patch runs the normal update path. */
final class Patcher {

    private final ResourceRegistry registry;
    private final Strategy strategy;

    Patcher(ResourceRegistry registry, Strategy strategy) {
        this.registry = registry;
        this.strategy = strategy;
    }

    /**
     * PATCH: applies the patch to the stored object and updates it. On a lost race the whole patch is applied
     * again to the new state, {@code test} operations included, so a stale {@code test} of resourceVersion
     * becomes 422 (which Whereabouts retries) and never a 409 (which it does not).
     */
    ObjectNode patch(String namespace, String name, ResourceRegistry.PatchType type, JsonNode patch, WriteOptions options,
            Warnings warnings) {
        registry.keys().checkName(name);
        OptionChecks.write("PatchOptions", options, false);
        ArrayNode ops = type == ResourceRegistry.PatchType.JSON_PATCH ? Patches.parseJsonPatch(patch) : null;
        // kube's GuaranteedUpdate with cachedExistingObject: the first attempt starts from the watch cache's copy
        // (no etcd read); if that copy was stale the conditional write fails, and any failure or no-op seen on
        // it is re-checked against a fresh read before it is reported
        KeyValue next = options.isDryRun() ? null : registry.possiblyStale(namespace, name).orElse(null);
        boolean nextFresh = false;
        for (int attempt = 1; ; ) {
            if (next == null) {
                next = registry.read(namespace, name, "patch");
                nextFresh = true;
            }
            KeyValue current = next;
            boolean fresh = nextFresh;
            next = null;
            ObjectNode currentObject = registry.decode(current);
            try {
                JsonNode patched = ops != null ? Patches.applyJsonPatch(ops, currentObject)
                        : Patches.applyMergePatch(patch, currentObject);
                Warnings attemptWarnings = new Warnings();
                Strategy.Decoded decoded = strategy.decode(patched, List.of(), options.fieldValidation(),
                        Strategy.Mode.PATCH, attemptWarnings);
                Namespaces.matchRequest(namespace, decoded.metadata());
                Namespaces.matchName(name, decoded.metadata());
                String rv = MetaRules.text(decoded.metadata(), "resourceVersion");
                if (rv.isEmpty()) {
                    decoded.metadata().put("resourceVersion", Long.toString(current.modRevision()));
                } else if (!rv.equals(Long.toString(current.modRevision()))) {
                    throw registry.conflict(name);
                }
                ObjectNode result = registry.write(namespace, name, decoded, current, currentObject, options, true,
                        attemptWarnings);
                if (!fresh && result == currentObject) {
                    continue; // a no-op against the cached copy: confirm against etcd
                }
                attemptWarnings.messages().forEach(warnings::add);
                return result;
            } catch (ApiException e) {
                if (fresh) {
                    throw e;
                }
            } catch (StorageException.Conflict e) {
                // someone else wrote first: re-apply the whole patch to the winner, which the failed
                // transaction read (bounded, in case of a storm)
                if (fresh && ++attempt > ResourceRegistry.MAX_PATCH_ATTEMPTS) {
                    throw registry.conflict(name);
                }
                next = e.current();
                nextFresh = true;
            }
        }
    }

}
