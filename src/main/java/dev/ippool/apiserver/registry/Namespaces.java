package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;

/**
 * Namespaces are implicit here (there is no Namespace resource): every valid DNS-1123 label exists. The texts
 * are kube's, from {@code rest.EnsureObjectNamespaceMatchesRequestNamespace}, {@code checkName} and the
 * NamespaceLifecycle admission plugin.
 */
public final class Namespaces {

    private Namespaces() {
    }

    /** A name that cannot be a namespace is one that does not exist: 404 as NamespaceLifecycle answers. */
    static void requireExists(String namespace) {
        if (!Names.dns1123Label(namespace).isEmpty()) {
            throw ApiException.notFound(new dev.ippool.apiserver.api.GroupResource("", "namespaces"), namespace);
        }
    }

    /**
     * The Namespace object a client reads for an implicit namespace: active, labelled with its name as kube
     * labels every namespace. kubectl reads it after a 404 to tell "no such object" from "no such namespace".
     */
    public static java.util.Map<String, Object> view(String namespace) {
        requireExists(namespace);
        return java.util.Map.of("apiVersion", "v1", "kind", "Namespace",
                "metadata", java.util.Map.of("name", namespace, "creationTimestamp", "1970-01-01T00:00:00Z",
                        "labels", java.util.Map.of("kubernetes.io/metadata.name", namespace)),
                "spec", java.util.Map.of("finalizers", java.util.List.of("kubernetes")),
                "status", java.util.Map.of("phase", "Active"));
    }

    /** Fills an empty body namespace from the URL; a different one is 400. */
    static void matchRequest(String namespace, ObjectNode metadata) {
        String inBody = MetaRules.text(metadata, "namespace");
        if (inBody.isEmpty()) {
            metadata.put("namespace", namespace);
        } else if (!inBody.equals(namespace)) {
            throw ApiException.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    /** The body's name must be the URL's. */
    static void matchName(String name, ObjectNode metadata) {
        String inBody = MetaRules.text(metadata, "name");
        if (!inBody.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + inBody + ") does not match the name on the URL ("
                    + name + ")");
        }
    }
}
