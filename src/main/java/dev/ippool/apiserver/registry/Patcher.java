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
    Written patch(String namespace, String name, ResourceRegistry.PatchType type, JsonNode patch, WriteOptions options,
            Warnings warnings) {
        registry.keys().checkName(name);
        OptionChecks.write("PatchOptions", options, false);
        ArrayNode ops = type == ResourceRegistry.PatchType.JSON_PATCH ? Patches.parseJsonPatch(patch) : null;
        // kube's GuaranteedUpdate with cachedExistingObject: the first attempt starts from the watch cache's copy
        // (no etcd read); if that copy was stale the conditional write fails, and any failure or no-op seen on
        // it is re-checked against a fresh read before it is reported
        KeyValue next = options.isDryRun() ? null : registry.possiblyStale(namespace, name).orElse(null);
        if (next != null && testsNewerThan(ops, next)) {
            next = null; // the client read a newer revision than the cache holds: go to etcd straight away
        }
        boolean nextFresh = false;
        for (int attempt = 1; ; ) {
            if (next == null) {
                next = registry.read(namespace, name, "patch");
                nextFresh = true;
            }
            KeyValue current = next;
            boolean fresh = nextFresh;
            next = null;
            ObjectNode currentObject;
            try {
                JsonNode patched;
                try {
                    if (failsLeadingResourceVersionTest(ops, current)) {
                        // Whereabouts' patches start with this test: a loser of the race fails it here, without
                        // decoding and copying the pool (any failed operation is the same 422)
                        throw Patches.patchRejected();
                    }
                    currentObject = registry.forms().shared(current);
                    patched = ops != null ? Patches.applyJsonPatch(ops, currentObject)
                            : Patches.applyMergePatch(patch, currentObject);
                } catch (ApiException e) {
                    if (!fresh && staleTest(ops, current)) {
                        // the client tested a resourceVersion older than even the cached copy: it fails against
                        // etcd's state too, so only whether the object still exists (404) needs etcd
                        registry.read(namespace, name, "patch");
                        throw new Definitive(e);
                    }
                    throw e;
                }
                Warnings attemptWarnings = new Warnings();
                Strategy.Decoded decoded = strategy.decode(patched, List.of(), options.fieldValidation(),
                        Strategy.Mode.PATCH, attemptWarnings, currentObject);
                Namespaces.matchRequest(namespace, decoded.metadata());
                Namespaces.matchName(name, decoded.metadata());
                String rv = MetaRules.text(decoded.metadata(), "resourceVersion");
                if (rv.isEmpty()) {
                    decoded.metadata().put("resourceVersion", Long.toString(current.modRevision()));
                } else if (!rv.equals(Long.toString(current.modRevision()))) {
                    throw registry.conflict(name);
                }
                Written result = registry.write(namespace, name, decoded, current, currentObject, options, true,
                        attemptWarnings);
                if (!fresh && result.object() == currentObject) {
                    continue; // a no-op against the cached copy: confirm against etcd
                }
                attemptWarnings.messages().forEach(warnings::add);
                // a no-op answers with the stored object, whose tree other requests share: a copy goes out
                return result.object() == currentObject ? new Written(registry.decode(current), null) : result;
            } catch (Definitive e) {
                throw e.answer;
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


    /** Whether the first operation tests a resourceVersion newer than {@code cached}'s. */
    private static boolean testsNewerThan(ArrayNode ops, KeyValue cached) {
        if (ops == null || ops.isEmpty()) {
            return false;
        }
        JsonNode first = ops.get(0);
        if (!"test".equals(first.path("op").asText()) || !"/metadata/resourceVersion".equals(first.path("path")
                .asText()) || !first.path("value").isTextual()) {
            return false;
        }
        try {
            return Long.parseLong(first.get("value").asText()) > cached.modRevision();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Whether the first operation tests {@code /metadata/resourceVersion} against anything but {@code current}'s
     * revision (the decoded object always has one, so a test against null fails too).
     */
    private static boolean failsLeadingResourceVersionTest(ArrayNode ops, KeyValue current) {
        if (ops == null || ops.isEmpty()) {
            return false;
        }
        JsonNode first = ops.get(0);
        return "test".equals(first.path("op").asText()) && "/metadata/resourceVersion".equals(first.path("path")
                .asText()) && first.has("value") && !(first.get("value").isTextual()
                && first.get("value").asText().equals(Long.toString(current.modRevision())));
    }

    /**
     * Whether {@code ops} test {@code /metadata/resourceVersion} against a value that cannot be the current one:
     * not a number, or older than {@code cached} (etcd is never behind its watch cache).
     */
    private static boolean staleTest(ArrayNode ops, KeyValue cached) {
        if (ops == null) {
            return false;
        }
        for (JsonNode op : ops) {
            if ("test".equals(op.path("op").asText()) && "/metadata/resourceVersion".equals(op.path("path").asText())
                    && op.path("value").isTextual()) {
                try {
                    return Long.parseLong(op.get("value").asText()) < cached.modRevision();
                } catch (NumberFormatException e) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A stale attempt's answer that a fresh one would give as well. */
    private static final class Definitive extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ApiException answer;

        Definitive(ApiException answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }
}
