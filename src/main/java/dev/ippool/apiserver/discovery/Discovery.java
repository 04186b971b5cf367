package dev.ippool.apiserver.discovery;

import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.discovery.DiscoveryTypes.ApiGroup;
import dev.ippool.apiserver.discovery.DiscoveryTypes.ApiGroupList;
import dev.ippool.apiserver.discovery.DiscoveryTypes.ApiResource;
import dev.ippool.apiserver.discovery.DiscoveryTypes.ApiResourceList;
import dev.ippool.apiserver.discovery.DiscoveryTypes.DiscoveryMeta;
import dev.ippool.apiserver.discovery.DiscoveryTypes.GroupDiscovery;
import dev.ippool.apiserver.discovery.DiscoveryTypes.GroupDiscoveryList;
import dev.ippool.apiserver.discovery.DiscoveryTypes.GroupVersion;
import dev.ippool.apiserver.discovery.DiscoveryTypes.Gvk;
import dev.ippool.apiserver.discovery.DiscoveryTypes.ResourceDiscovery;
import dev.ippool.apiserver.discovery.DiscoveryTypes.VersionDiscovery;
import dev.ippool.apiserver.kinds.Catalog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents of every served group, built from the {@link Catalog} as kube's CRD discovery
 * controller builds them from CRDs (apiextensions-apiserver customresource_discovery_controller.go).
 */
public final class Discovery {

    /** A CRD's verbs, in the order kube lists them. */
    static final List<String> VERBS = List.of("delete", "deletecollection", "get", "list", "patch", "create",
            "update", "watch");

    private final Catalog catalog;

    public Discovery(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Group name → its versions, in catalog order (the first version of a group is the preferred one). */
    private Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (ResourceDefinition r : catalog.resources()) {
            List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
            if (!versions.contains(r.version())) {
                versions.add(r.version());
            }
        }
        return groups;
    }

    private static ApiGroup group(String name, List<String> versions, boolean typed) {
        List<GroupVersion> gvs = versions.stream().map(v -> new GroupVersion(name + "/" + v, v)).toList();
        return new ApiGroup(typed ? "APIGroup" : null, typed ? "v1" : null, name, gvs, gvs.get(0));
    }

    /** {@code /apis}. */
    public ApiGroupList groupList() {
        return new ApiGroupList("APIGroupList", "v1",
                groups().entrySet().stream().map(e -> group(e.getKey(), e.getValue(), false)).toList());
    }

    /** {@code /apis/<group>}. */
    public Optional<ApiGroup> group(String name) {
        return Optional.ofNullable(groups().get(name)).map(versions -> group(name, versions, true));
    }

    /** {@code /apis/<group>/<version>}. */
    public Optional<ApiResourceList> resources(String group, String version) {
        List<ApiResource> resources = catalog.resources().stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version))
                .map(r -> new ApiResource(r.plural(), r.singular(), r.namespaced(), r.kind(), VERBS, null, null,
                        storageVersionHash(r)))
                .toList();
        return resources.isEmpty() ? Optional.empty()
                : Optional.of(new ApiResourceList("APIResourceList", "v1", group + "/" + version, resources));
    }

    /** {@code /apis} as aggregated discovery ({@code apiVersion} is v2 or v2beta1, same shape). */
    public GroupDiscoveryList aggregated(String apiVersion) {
        List<GroupDiscovery> items = new ArrayList<>();
        groups().forEach((group, versions) -> items.add(new GroupDiscovery(new DiscoveryMeta(group, null),
                versions.stream().map(v -> new VersionDiscovery(v, catalog.resources().stream()
                        .filter(r -> r.group().equals(group) && r.version().equals(v))
                        .map(r -> new ResourceDiscovery(r.plural(), new Gvk(r.group(), r.version(), r.kind()),
                                r.namespaced() ? "Namespaced" : "Cluster", r.singular(), VERBS, null, null))
                        .toList(), "Current")).toList())));
        return new GroupDiscoveryList("APIGroupDiscoveryList", apiVersion, Map.of(), items);
    }

    /** {@code storageversionhash.go}: base64 of the first 8 bytes of sha256("group/version/kind"). */
    static String storageVersionHash(ResourceDefinition r) {
        try {
            byte[] sum = MessageDigest.getInstance("SHA-256")
                    .digest((r.group() + "/" + r.version() + "/" + r.kind()).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(sum, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
