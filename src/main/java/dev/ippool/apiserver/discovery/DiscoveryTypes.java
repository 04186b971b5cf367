package dev.ippool.apiserver.discovery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The discovery wire types of {@code meta/v1} and {@code apidiscovery.k8s.io/v2}, fields in the Go structs'
 * order (kube writes typed objects in struct order) and empty ones left out as {@code omitempty} does.
 */
public final class DiscoveryTypes {

    private DiscoveryTypes() {
    }

    @JsonPropertyOrder({"groupVersion", "version"})
    public record GroupVersion(String groupVersion, String version) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "apiVersion", "name", "versions", "preferredVersion"})
    public record ApiGroup(String kind, String apiVersion, String name, List<GroupVersion> versions,
            GroupVersion preferredVersion) {
    }

    @JsonPropertyOrder({"kind", "apiVersion", "groups"})
    public record ApiGroupList(String kind, String apiVersion, List<ApiGroup> groups) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "singularName", "namespaced", "kind", "verbs", "shortNames", "categories",
        "storageVersionHash"})
    public record ApiResource(String name, String singularName, boolean namespaced, String kind, List<String> verbs,
            List<String> shortNames, List<String> categories, String storageVersionHash) {
    }

    @JsonPropertyOrder({"kind", "apiVersion", "groupVersion", "resources"})
    public record ApiResourceList(String kind, String apiVersion, String groupVersion, List<ApiResource> resources) {
    }

    @JsonPropertyOrder({"group", "version", "kind"})
    public record Gvk(String group, String version, String kind) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"resource", "responseKind", "scope", "singularResource", "verbs", "shortNames",
        "categories"})
    public record ResourceDiscovery(String resource, Gvk responseKind, String scope, String singularResource,
            List<String> verbs, List<String> shortNames, List<String> categories) {
    }

    @JsonPropertyOrder({"version", "resources", "freshness"})
    public record VersionDiscovery(String version, List<ResourceDiscovery> resources, String freshness) {
    }

    /** {@code creationTimestamp: null}: ObjectMeta's time field has no omitempty. */
    @JsonPropertyOrder({"name", "creationTimestamp"})
    public record DiscoveryMeta(String name, Object creationTimestamp) {
    }

    @JsonPropertyOrder({"metadata", "versions"})
    public record GroupDiscovery(DiscoveryMeta metadata, List<VersionDiscovery> versions) {
    }

    @JsonPropertyOrder({"kind", "apiVersion", "metadata", "items"})
    public record GroupDiscoveryList(String kind, String apiVersion, Map<String, Object> metadata,
            List<GroupDiscovery> items) {
    }

    /** {@code version.Info}. */
    @JsonPropertyOrder({"major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion",
        "compiler", "platform"})
    public record VersionInfo(String major, String minor, String gitVersion, String gitCommit, String gitTreeState,
            String buildDate, String goVersion, String compiler, String platform) {
    }
}
