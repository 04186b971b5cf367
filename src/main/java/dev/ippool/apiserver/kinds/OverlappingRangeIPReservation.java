package dev.ippool.apiserver.kinds;

import dev.ippool.apiserver.api.PrinterColumn;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.api.Schema;
import java.util.List;
import java.util.Map;

/**
 * Whereabouts' OverlappingRangeIPReservation as its CRD ships it: one object per allocated IP (named by the
 * normalised IP), so that overlapping ranges never hand out the same address twice; spec {@code podref}
 * (required), {@code containerid}, {@code ifname}; {@code spec} itself required.
 */
public final class OverlappingRangeIPReservation {

    private OverlappingRangeIPReservation() {
    }

    public static ResourceDefinition definition() {
        Schema spec = Schema.object(Map.of(
                "containerid", Schema.string(),
                "ifname", Schema.string(),
                "podref", Schema.string()), List.of("podref"))
                .describedAs("OverlappingRangeIPReservationSpec defines the desired state of"
                        + " OverlappingRangeIPReservation");
        return new ResourceDefinition(IPPool.GROUP, "v1alpha1", "OverlappingRangeIPReservation",
                "OverlappingRangeIPReservationList", "overlappingrangeipreservations",
                "overlappingrangeipreservation", true, Map.of("spec", spec), List.of("spec"), o -> List.of(),
                List.of(new PrinterColumn("Pod", "string", "", "The pod holding the address", 0,
                                o -> o.path("spec").path("podref").asText(null)),
                        new PrinterColumn("Interface", "string", "", "The pod's interface", 0,
                                o -> o.path("spec").path("ifname").asText(null)),
                        new PrinterColumn("Age", "date", "", "CreationTimestamp is a timestamp representing the"
                                + " server time when this object was created.", 0,
                                o -> o.path("metadata").path("creationTimestamp").asText(null))));
    }
}
