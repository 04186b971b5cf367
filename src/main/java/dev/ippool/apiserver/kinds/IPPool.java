package dev.ippool.apiserver.kinds;

import dev.ippool.apiserver.api.PrinterColumn;
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
        // descriptions as the CRD ships them, for OpenAPI and kubectl explain
        Schema allocation = Schema.object(Map.of(
                "id", Schema.string(),
                "ifname", Schema.string(),
                "podref", Schema.string()), List.of("id", "podref"))
                .describedAs("IPAllocation represents metadata about the pod/container owner of a specific IP");
        Schema spec = Schema.object(Map.of(
                "allocations", Schema.mapOf(allocation).describedAs("Allocations is the set of allocated IPs for"
                        + " the given range. Its` indices are a direct mapping to the IP with the same index/offset"
                        + " for the pool's range."),
                "range", Schema.string().describedAs("Range is a RFC 4632/4291-style string that represents an IP"
                        + " address and prefix length in CIDR notation")), List.of("allocations", "range"))
                .describedAs("IPPoolSpec defines the desired state of IPPool");
        return new ResourceDefinition(GROUP, "v1alpha1", "IPPool", "IPPoolList", "ippools", "ippool", true,
                Map.of("spec", spec), List.of(), IPPool::warnings, columns());
    }

    /**
     * What an operator wants to see at a glance: the range, how many addresses are taken, how many there are
     * (stock kube shows only Name and Age for this CRD); {@code -o wide} adds the utilisation.
     */
    static List<PrinterColumn> columns() {
        return List.of(
                new PrinterColumn("Range", "string", "", "The pool's CIDR", 0,
                        o -> o.path("spec").path("range").isTextual() ? o.path("spec").path("range").asText() : null),
                new PrinterColumn("Allocated", "integer", "", "Addresses currently allocated", 0,
                        o -> o.path("spec").path("allocations").size()),
                new PrinterColumn("Capacity", "integer", "", "Addresses the range can hand out", 0,
                        o -> capacity(o).<Object>map(c -> c).orElse(INVALID)),
                new PrinterColumn("Age", "date", "", "CreationTimestamp is a timestamp representing the server"
                        + " time when this object was created.", 0,
                        o -> o.path("metadata").path("creationTimestamp").asText(null)),
                new PrinterColumn("Utilization", "string", "", "Allocated as a share of capacity", 1,
                        o -> capacity(o).map(c -> utilisation(o.path("spec").path("allocations").size(), c))
                                .orElse(INVALID)));
    }

    private static final String INVALID = "<invalid>";

    /** The range's capacity, empty when the range is missing or not a CIDR. */
    public static java.util.Optional<Long> capacity(JsonNode object) {
        JsonNode range = object.path("spec").path("range");
        return range.isTextual() ? capacity(range.asText()) : java.util.Optional.empty();
    }

    /** The capacity of a range, empty when it is not a CIDR. */
    public static java.util.Optional<Long> capacity(String range) {
        return Cidr.parse(range).map(Cidr::capacity);
    }

    static String utilisation(long allocated, long capacity) {
        double percent = capacity == 0 ? 0 : 100.0 * allocated / capacity;
        return String.format(java.util.Locale.ROOT, "%.1f%%", percent);
    }
}
