package dev.ippool.apiserver.support;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Holder of the suite-wide etcd: one private etcd for every {@code @QuarkusTest} of the default profile.
 */
@QuarkusTestResource(EtcdTestResource.class)
public final class WithEtcd {
    private WithEtcd() {
    }
}
