package dev.ippool.apiserver.config;

import dev.ippool.apiserver.api.MetaViews;
import dev.ippool.apiserver.api.Status;
import dev.ippool.apiserver.api.StatusCause;
import dev.ippool.apiserver.api.StatusDetails;
import dev.ippool.apiserver.discovery.DiscoveryTypes;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The wire records Jackson serialises by reflection. Resources return them as bytes, so Quarkus cannot see them
 * as response types; a native image needs them registered here. jetcd's {@code AbstractResponse} is here for
 * {@code storage.etcd.JetcdMessages}, which reads the protobuf message it keeps behind a protected accessor.
 */
@RegisterForReflection(targets = {Status.class, StatusDetails.class, StatusCause.class,
    DiscoveryTypes.GroupVersion.class, DiscoveryTypes.ApiGroup.class, DiscoveryTypes.ApiGroupList.class,
    DiscoveryTypes.ApiResource.class, DiscoveryTypes.ApiResourceList.class, DiscoveryTypes.Gvk.class,
    DiscoveryTypes.ResourceDiscovery.class, DiscoveryTypes.VersionDiscovery.class, DiscoveryTypes.DiscoveryMeta.class,
    DiscoveryTypes.GroupDiscovery.class, DiscoveryTypes.GroupDiscoveryList.class, DiscoveryTypes.VersionInfo.class,
    MetaViews.ObjectMeta.class, MetaViews.ListMeta.class, MetaViews.PartialObjectMetadata.class,
    MetaViews.PartialObjectMetadataList.class, MetaViews.ColumnDefinition.class, MetaViews.Row.class,
    MetaViews.Table.class, io.etcd.jetcd.impl.AbstractResponse.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
