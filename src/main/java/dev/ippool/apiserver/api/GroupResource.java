package dev.ippool.apiserver.api;

/** A resource within a group; prints as kube's {@code schema.GroupResource}: {@code ippools.whereabouts.cni.cncf.io}. */
public record GroupResource(String group, String resource) {
    @Override
    public String toString() {
        return group.isEmpty() ? resource : resource + "." + group;
    }
}
