package dev.ippool.apiserver.kinds;

import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.api.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Whereabouts' IPPool as its CRD ships it (doc/crds/whereabouts.cni.cncf.io_ippools.yaml): namespaced, no
 * status, {@code spec.range} a plain string (the server never checks it is a CIDR) and {@code spec.allocations}
 * a map from an opaque offset string to {@code {id, podref, ifname?}}.
 */
public final class IPPool {

    public static final String GROUP = "whereabouts.cni.cncf.io";

    private IPPool() {
    }

    /** kube accepts any string as a range; we accept it too, but say when Whereabouts could not use it. */
    static List<String> warnings(JsonNode object) {
        JsonNode range = object.path("spec").path("range");
        if (range.isTextual() && Cidr.parse(range.asText()).isEmpty()) {
            return List.of("spec.range: " + range.toString() + " is not a valid CIDR; Whereabouts cannot allocate"
                    + " from this pool");
        }
        return List.of();
    }

    public static ResourceDefinition definition() {
        Schema allocation = Schema.object(Map.of(
                "id", Schema.string(),
                "ifname", Schema.string(),
                "podref", Schema.string()), List.of("id", "podref"));
        Schema spec = Schema.object(Map.of(
                "allocations", Schema.mapOf(allocation),
                "range", Schema.string()), List.of("allocations", "range"));
        return new ResourceDefinition(GROUP, "v1alpha1", "IPPool", "IPPoolList", "ippools", "ippool", true,
                Map.of("spec", spec), IPPool::warnings);
    }
}
