package dev.ippool.apiserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything kind-specific about one served resource: its names and the schema of its top-level fields other
 * than {@code apiVersion}, {@code kind} and {@code metadata}. The registry, storage and HTTP layers are generic
 * over it, so another kind of the group is one more definition.
 *
 * @param group      API group, e.g. {@code whereabouts.cni.cncf.io}
 * @param version    served (and storage) version
 * @param kind       e.g. {@code IPPool}
 * @param listKind   e.g. {@code IPPoolList}
 * @param plural     resource name in paths, e.g. {@code ippools}
 * @param singular   e.g. {@code ippool}
 * @param namespaced whether objects live in namespaces
 * @param fields     schemas of the top-level fields besides apiVersion, kind and metadata
 * @param advisor    warnings about an accepted object (sent as {@code Warning} headers, never rejections)
 * @param required   top-level fields the schema requires (e.g. {@code spec})
 * @param columns    the Table view's columns after Name (kube's additionalPrinterColumns)
 */
public record ResourceDefinition(String group, String version, String kind, String listKind, String plural,
        String singular, boolean namespaced, Map<String, Schema> fields, List<String> required,
        Function<JsonNode, List<String>> advisor, List<PrinterColumn> columns) {

    public ResourceDefinition {
        fields = Map.copyOf(fields);
        required = List.copyOf(required);
        columns = List.copyOf(columns);
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    public GroupResource groupResource() {
        return new GroupResource(group, plural);
    }

    /** The storage prefix of every object of this resource under {@code root}: {@code <root>/<group>/<plural>/}. */
    public String storagePrefix(String root) {
        return (root.endsWith("/") ? root : root + "/") + group + "/" + plural + "/";
    }

    /** {@code IPPool.whereabouts.cni.cncf.io}: how kube names the kind in schema-validation errors. */
    public String qualifiedKind() {
        return kind + "." + group;
    }
}
