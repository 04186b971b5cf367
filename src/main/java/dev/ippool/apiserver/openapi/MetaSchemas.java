package dev.ippool.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code meta/v1} schemas a resource's operations refer to, trimmed to their fields and short descriptions
 * (kube publishes the same names under {@code io.k8s.apimachinery.pkg.apis.meta.v1}).
 */
final class MetaSchemas {

    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private MetaSchemas() {
    }

    static String ref(String name) {
        return "#/components/schemas/" + name;
    }

    static ObjectNode refTo(String name) {
        return F.objectNode().put("$ref", ref(name));
    }

    /** A property that refers to another schema: kube wraps the $ref in allOf so it can carry a description. */
    static ObjectNode allOf(String name, String description) {
        ObjectNode n = F.objectNode();
        n.putArray("allOf").add(refTo(name));
        if (description != null) {
            n.put("description", description);
        }
        return n;
    }

    static ObjectNode prop(String type, String description) {
        ObjectNode n = F.objectNode().put("type", type);
        if (description != null) {
            n.put("description", description);
        }
        return n;
    }

    private static ObjectNode stringMap(String description) {
        ObjectNode n = prop("object", description);
        n.putObject("additionalProperties").put("type", "string").put("default", "");
        return n;
    }

    private static ObjectNode arrayOf(ObjectNode items, String description) {
        ObjectNode n = prop("array", description);
        n.set("items", items);
        return n;
    }

    private static ObjectNode object(String description, String... required) {
        ObjectNode n = prop("object", description);
        n.putObject("properties");
        if (required.length > 0) {
            ArrayNode r = n.putArray("required");
            for (String name : required) {
                r.add(name);
            }
        }
        return n;
    }

    private static ObjectNode props(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    /** Adds every meta schema to {@code schemas}. */
    static void addTo(ObjectNode schemas) {
        schemas.set(META + "Time", prop("string", "Time is a wrapper around time.Time which supports correct"
                + " marshaling to YAML and JSON.").put("format", "date-time"));
        schemas.set(META + "FieldsV1", prop("object", "FieldsV1 stores a set of fields in a data structure like a"
                + " Trie, in JSON format."));

        ObjectNode owner = object("OwnerReference contains enough information to let you identify an owning object.",
                "apiVersion", "kind", "name", "uid");
        props(owner).set("apiVersion", prop("string", "API version of the referent."));
        props(owner).set("blockOwnerDeletion", prop("boolean", "If true, AND if the owner has the"
                + " \"foregroundDeletion\" finalizer, then the owner cannot be deleted from the key-value store until"
                + " this reference is removed."));
        props(owner).set("controller", prop("boolean", "If true, this reference points to the managing controller."));
        props(owner).set("kind", prop("string", "Kind of the referent."));
        props(owner).set("name", prop("string", "Name of the referent."));
        props(owner).set("uid", prop("string", "UID of the referent."));
        owner.put("x-kubernetes-map-type", "atomic");
        schemas.set(META + "OwnerReference", owner);

        ObjectNode managed = object("ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the"
                + " resource that the fieldset applies to.");
        props(managed).set("apiVersion", prop("string", "APIVersion defines the version of this resource that this"
                + " field set applies to."));
        props(managed).set("fieldsType", prop("string", "FieldsType is the discriminator for the different fields"
                + " format and version. There is currently only one possible value: \"FieldsV1\""));
        props(managed).set("fieldsV1", allOf(META + "FieldsV1", "FieldsV1 holds the first JSON version format as"
                + " described in the \"FieldsV1\" type."));
        props(managed).set("manager", prop("string", "Manager is an identifier of the workflow managing these"
                + " fields."));
        props(managed).set("operation", prop("string", "Operation is the type of operation which lead to this"
                + " ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and"
                + " 'Update'."));
        props(managed).set("subresource", prop("string", "Subresource is the name of the subresource used to update"
                + " that object, or empty string if the object was updated through the main resource."));
        props(managed).set("time", allOf(META + "Time", "Time is the timestamp of when the ManagedFields entry was"
                + " added."));
        schemas.set(META + "ManagedFieldsEntry", managed);

        ObjectNode om = object("ObjectMeta is metadata that all persisted resources must have, which includes all"
                + " objects users must create.");
        ObjectNode p = props(om);
        p.set("annotations", stringMap("Annotations is an unstructured key value map stored with a resource that"
                + " may be set by external tools to store and retrieve arbitrary metadata."));
        p.set("creationTimestamp", allOf(META + "Time", "CreationTimestamp is a timestamp representing the server"
                + " time when this object was created."));
        p.set("deletionGracePeriodSeconds", prop("integer", "Number of seconds allowed for this object to"
                + " gracefully terminate before it will be removed from the system.").put("format", "int64"));
        p.set("deletionTimestamp", allOf(META + "Time", "DeletionTimestamp is RFC 3339 date and time at which this"
                + " resource will be deleted."));
        p.set("finalizers", arrayOf(prop("string", null).put("default", ""), "Must be empty before the object is"
                + " deleted from the registry.").put("x-kubernetes-list-type", "set"));
        p.set("generateName", prop("string", "GenerateName is an optional prefix, used by the server, to generate a"
                + " unique name ONLY IF the Name field has not been provided."));
        p.set("generation", prop("integer", "A sequence number representing a specific generation of the desired"
                + " state.").put("format", "int64"));
        p.set("labels", stringMap("Map of string keys and values that can be used to organize and categorize"
                + " (scope and select) objects."));
        p.set("managedFields", arrayOf(allOf(META + "ManagedFieldsEntry", null), "ManagedFields maps"
                + " workflow-id and version to the set of fields that are managed by that workflow."));
        p.set("name", prop("string", "Name must be unique within a namespace."));
        p.set("namespace", prop("string", "Namespace defines the space within which each name must be unique."));
        p.set("ownerReferences", arrayOf(allOf(META + "OwnerReference", null), "List of objects depended by this"
                + " object.").put("x-kubernetes-list-type", "map"));
        ((ArrayNode) ((ObjectNode) p.get("ownerReferences")).putArray("x-kubernetes-list-map-keys")).add("uid");
        p.set("resourceVersion", prop("string", "An opaque value that represents the internal version of this"
                + " object that can be used by clients to determine when objects have changed."));
        p.set("selfLink", prop("string", "Deprecated: selfLink is a legacy read-only field that is no longer"
                + " populated by the system."));
        p.set("uid", prop("string", "UID is the unique in time and space value for this object."));
        schemas.set(META + "ObjectMeta", om);

        ObjectNode lm = object("ListMeta describes metadata that synthetic resources must have, including lists"
                + " and various status objects.");
        props(lm).set("continue", prop("string", "continue may be set if the user set a limit on the number of"
                + " items returned."));
        props(lm).set("remainingItemCount", prop("integer", "remainingItemCount is the number of subsequent items"
                + " in the list which are not included in this list response.").put("format", "int64"));
        props(lm).set("resourceVersion", prop("string", "String that identifies the server's internal version of"
                + " this object that can be used by clients to determine when objects have changed."));
        props(lm).set("selfLink", prop("string", "Deprecated: selfLink is a legacy read-only field."));
        schemas.set(META + "ListMeta", lm);

        ObjectNode cause = object("StatusCause provides more information about an api.Status failure.");
        props(cause).set("field", prop("string", "The field of the resource that has caused this error."));
        props(cause).set("message", prop("string", "A human-readable description of the cause of the error."));
        props(cause).set("reason", prop("string", "A machine-readable description of the cause of the error."));
        schemas.set(META + "StatusCause", cause);

        ObjectNode details = object("StatusDetails is a set of additional properties that MAY be set by the server"
                + " to provide additional information about a response.");
        props(details).set("causes", arrayOf(allOf(META + "StatusCause", null), "The Causes array includes more"
                + " details associated with the StatusReason failure.").put("x-kubernetes-list-type", "atomic"));
        props(details).set("group", prop("string", "The group attribute of the resource associated with the"
                + " status StatusReason."));
        props(details).set("kind", prop("string", "The kind attribute of the resource associated with the status"
                + " StatusReason."));
        props(details).set("name", prop("string", "The name attribute of the resource associated with the status"
                + " StatusReason (when there is a single name which can be described)."));
        props(details).set("retryAfterSeconds", prop("integer", "If specified, the time in seconds before the"
                + " operation should be retried.").put("format", "int32"));
        props(details).set("uid", prop("string", "UID of the resource."));
        schemas.set(META + "StatusDetails", details);

        ObjectNode status = object("Status is a return value for calls that don't return other objects.");
        props(status).set("apiVersion", prop("string", "APIVersion defines the versioned schema of this"
                + " representation of an object."));
        props(status).set("code", prop("integer", "Suggested HTTP return code for this status, 0 if not set.")
                .put("format", "int32"));
        props(status).set("details", allOf(META + "StatusDetails", "Extended data associated with the reason."));
        props(status).set("kind", prop("string", "Kind is a string value representing the REST resource this"
                + " object represents."));
        props(status).set("message", prop("string", "A human-readable description of the status of this"
                + " operation."));
        props(status).set("metadata", allOf(META + "ListMeta", "Standard list metadata."));
        props(status).set("reason", prop("string", "A machine-readable description of why this operation is in"
                + " the \"Failure\" status."));
        props(status).set("status", prop("string", "Status of the operation. One of: \"Success\" or \"Failure\"."));
        schemas.set(META + "Status", status);

        ObjectNode pre = object("Preconditions must be fulfilled before an operation (update, delete, etc.) is"
                + " carried out.");
        props(pre).set("resourceVersion", prop("string", "Specifies the target ResourceVersion"));
        props(pre).set("uid", prop("string", "Specifies the target UID."));
        schemas.set(META + "Preconditions", pre);

        ObjectNode delete = object("DeleteOptions may be provided when deleting an API object.");
        props(delete).set("apiVersion", prop("string", "APIVersion defines the versioned schema of this"
                + " representation of an object."));
        props(delete).set("dryRun", arrayOf(prop("string", null).put("default", ""), "When present, indicates that"
                + " modifications should not be persisted.").put("x-kubernetes-list-type", "atomic"));
        props(delete).set("gracePeriodSeconds", prop("integer", "The duration in seconds before the object should"
                + " be deleted.").put("format", "int64"));
        props(delete).set("kind", prop("string", "Kind is a string value representing the REST resource this"
                + " object represents."));
        props(delete).set("orphanDependents", prop("boolean", "Deprecated: please use the PropagationPolicy."));
        props(delete).set("preconditions", allOf(META + "Preconditions", "Must be fulfilled before a deletion is"
                + " carried out."));
        props(delete).set("propagationPolicy", prop("string", "Whether and how garbage collection will be"
                + " performed."));
        schemas.set(META + "DeleteOptions", delete);

        schemas.set(META + "Patch", prop("object", "Patch is provided to give a concrete name and type to the"
                + " Kubernetes PATCH request body."));

        ObjectNode event = object("Event represents a single event to a watched resource.", "type", "object");
        props(event).set("object", prop("object", "Object is: * If Type is Added or Modified: the new state of the"
                + " object. * If Type is Deleted: the state of the object immediately before deletion. * If Type is"
                + " Error: *Status is recommended; other types may make sense depending on context."));
        props(event).set("type", prop("string", null).put("default", ""));
        schemas.set(META + "WatchEvent", event);
    }
}
