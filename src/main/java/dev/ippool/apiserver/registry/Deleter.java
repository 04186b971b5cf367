package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.DeleteOptions;
import dev.ippool.apiserver.api.GroupResource;
import dev.ippool.apiserver.api.ListOptions;
import dev.ippool.apiserver.api.Status;
import dev.ippool.apiserver.api.StatusDetails;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.StorageException;

/**
 * DELETE and DELETE-collection, after kube's {@code store.go Delete} / {@code DeleteCollection}: preconditions,
 * finalizers (mark, don't remove), and a delete conditioned on the revision that was checked.
 */
public final class Deleter {

    private final ResourceRegistry registry;
    private final Lister lister;

    public Deleter(ResourceRegistry registry, Lister lister) {
        this.registry = registry;
        this.lister = lister;
    }

    /** What a DELETE answers: a Status (object removed) or the object (marked for deletion), and the code. */
    public record Outcome(int code, Object body) {
    }

    public Outcome delete(String namespace, String name, DeleteOptions options) {
        registry.keys().checkName(name);
        OptionChecks.delete(options);
        while (true) {
            KeyValue current = registry.read(namespace, name, "delete");
            try {
                return deleteCurrent(namespace, name, current, options);
            } catch (StorageException.Conflict e) {
                // modified between our read and our delete: check preconditions against the new state
            }
        }
    }

    /** Deletes every object the options select, as listed; 200 with that list. */
    public ObjectNode deleteCollection(String namespace, ListOptions listOptions, DeleteOptions options) {
        OptionChecks.delete(options);
        Lister.Result listed = lister.list(namespace, listOptions);
        for (ObjectNode item : lister.items(listed)) {
            String name = item.path("metadata").path("name").asText();
            try {
                delete(namespace == null ? item.path("metadata").path("namespace").asText() : namespace, name,
                        options);
            } catch (ApiException e) {
                // not atomic, as in kube: an item someone else deleted meanwhile is not an error
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        return lister.toListObject(listed);
    }

    private Outcome deleteCurrent(String namespace, String name, KeyValue current, DeleteOptions options) {
        ObjectNode object = registry.decode(current);
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        checkPreconditions(name, metadata, options);
        String key = registry.keys().key(namespace, name);
        try {
            if (!MetaRules.strings(metadata.get("finalizers")).isEmpty()) {
                if (metadata.has("deletionTimestamp")) {
                    return new Outcome(200, object);
                }
                registry.strategy().markDeleting(object);
                if (!options.isDryRun()) {
                    long revision = registry.store().update(key, registry.forms().encode(object), current.modRevision());
                    metadata.put("resourceVersion", Long.toString(revision));
                }
                return new Outcome(Boolean.FALSE.equals(options.orphanDependents()) ? 202 : 200, object);
            }
            if (!options.isDryRun()) {
                registry.store().delete(key, current.modRevision());
            }
        } catch (StorageException.Conflict e) {
            throw e;
        } catch (StorageException e) {
            throw StorageErrors.interpret(e, registry.resource(), "delete", name);
        }
        GroupResource resource = registry.resource();
        return new Outcome(200, Status.success(StatusDetails.of(name, resource.group(), resource.resource())
                .withUid(MetaRules.text(metadata, "uid"))));
    }

    /** {@code rest.BeforeDelete}: the conflict names the kind, not the resource, as kube's does. */
    private void checkPreconditions(String name, ObjectNode metadata, DeleteOptions options) {
        GroupResource byKind = new GroupResource(registry.definition().group(), registry.definition().kind());
        String uid = MetaRules.text(metadata, "uid");
        if (options.preconditionUid() != null && !options.preconditionUid().equals(uid)) {
            throw ApiException.conflict(byKind, name, "the UID in the precondition (" + options.preconditionUid()
                    + ") does not match the UID in record (" + uid + "). The object might have been deleted and then"
                    + " recreated");
        }
        String rv = MetaRules.text(metadata, "resourceVersion");
        if (options.preconditionResourceVersion() != null && !options.preconditionResourceVersion().equals(rv)) {
            throw ApiException.conflict(byKind, name, "the ResourceVersion in the precondition ("
                    + options.preconditionResourceVersion() + ") does not match the ResourceVersion in record (" + rv
                    + "). The object might have been modified");
        }
    }

}
