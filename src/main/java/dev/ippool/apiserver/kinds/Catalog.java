package dev.ippool.apiserver.kinds;

import dev.ippool.apiserver.api.ResourceDefinition;
import java.util.List;
import java.util.Optional;

/** The resources this server serves: the whole whereabouts.cni.cncf.io/v1alpha1 group. */
public record Catalog(List<ResourceDefinition> resources) {

    public Catalog {
        resources = List.copyOf(resources);
    }

    public static Catalog standard() {
        return new Catalog(List.of(IPPool.definition(), OverlappingRangeIPReservation.definition(),
                NodeSlicePool.definition()));
    }

    public Optional<ResourceDefinition> find(String group, String version, String plural) {
        return resources.stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
                .findFirst();
    }
}
