package dev.ippool.apiserver.kinds;

import dev.ippool.apiserver.api.PrinterColumn;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.api.Schema;
import java.util.List;
import java.util.Map;

/**
 * Whereabouts' NodeSlicePool ("fast IPAM") as its CRD ships it: spec {@code range} and {@code sliceSize}; status
 * {@code allocations[{nodeName, sliceRange}]}, written with the object (there is no status subresource).
 */
public final class NodeSlicePool {

    private NodeSlicePool() {
    }

    public static ResourceDefinition definition() {
        Schema spec = Schema.object(Map.of(
                "range", Schema.string().describedAs("Range is a RFC 4632/4291-style string that represents an IP"
                        + " address and prefix length in CIDR notation this refers to the entire range where the"
                        + " node is allocated a subset"),
                "sliceSize", Schema.string().describedAs("SliceSize is the size of subnets or slices of the range"
                        + " that each node will be assigned")), List.of("range", "sliceSize"))
                .describedAs("NodeSlicePoolSpec defines the desired state of NodeSlicePool");
        Schema allocation = Schema.object(Map.of(
                "nodeName", Schema.string().describedAs("NodeName is the name of the node assigned to this slice,"
                        + " empty node name is an available slice for assignment"),
                "sliceRange", Schema.string().describedAs("SliceRange is the subnet of this slice")),
                List.of("nodeName", "sliceRange"));
        Schema status = Schema.object(Map.of("allocations", Schema.arrayOf(allocation).describedAs(
                "Allocations holds the allocations of nodes to slices")), List.of("allocations"))
                .describedAs("NodeSlicePoolStatus defines the desired state of NodeSlicePool");
        return new ResourceDefinition(IPPool.GROUP, "v1alpha1", "NodeSlicePool", "NodeSlicePoolList",
                "nodeslicepools", "nodeslicepool", true, Map.of("spec", spec, "status", status), List.of(),
                o -> List.of(),
                List.of(new PrinterColumn("Range", "string", "", "The whole range", 0,
                                o -> o.path("spec").path("range").asText(null)),
                        new PrinterColumn("Slice Size", "string", "", "Each node's slice", 0,
                                o -> o.path("spec").path("sliceSize").asText(null)),
                        new PrinterColumn("Nodes", "integer", "", "Slices assigned to a node", 0,
                                o -> countAssigned(o.path("status").path("allocations"))),
                        new PrinterColumn("Age", "date", "", "CreationTimestamp is a timestamp representing the"
                                + " server time when this object was created.", 0,
                                o -> o.path("metadata").path("creationTimestamp").asText(null))));
    }

    private static int countAssigned(com.fasterxml.jackson.databind.JsonNode allocations) {
        int n = 0;
        for (com.fasterxml.jackson.databind.JsonNode a : allocations) {
            if (!a.path("nodeName").asText("").isEmpty()) {
                n++;
            }
        }
        return n;
    }
}
