package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        for (int attempt = 1; ; attempt++) {
            KeyValue current = registry.read(namespace, name, "patch");
            ObjectNode currentObject = registry.decode(current);
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
            try {
                ObjectNode result = registry.write(namespace, name, decoded, current, currentObject, options, true,
                        attemptWarnings);
                attemptWarnings.messages().forEach(warnings::add);
                return result;
            } catch (StorageException.Conflict e) {
                // someone else wrote first: re-read and re-apply the whole patch (bounded, in case of a storm)
                if (attempt == ResourceRegistry.MAX_PATCH_ATTEMPTS) {
                    throw registry.conflict(name);
                }
            }
        }
    }

}
