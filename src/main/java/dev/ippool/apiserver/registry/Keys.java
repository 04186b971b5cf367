package dev.ippool.apiserver.registry;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.ResourceDefinition;
import java.util.List;

/** etcd keys as kube lays them out: {@code <prefix>/<group>/<plural>/<namespace>/<name>}. */
final class Keys {

    private final String resourcePrefix;

    Keys(String keyPrefix, ResourceDefinition definition) {
        this.resourcePrefix = definition.storagePrefix(keyPrefix);
    }

    /** The prefix of every object of the resource. */
    String all() {
        return resourcePrefix;
    }

    /** The prefix of every object in one namespace. */
    String namespace(String namespace) {
        return resourcePrefix + namespace + "/";
    }

    String key(String namespace, String name) {
        return resourcePrefix + namespace + "/" + name;
    }

    /** {@code NamespaceKeyFunc}'s check of a name taken from the URL. */
    void checkName(String name) {
        List<String> errs = Names.pathSegment(name);
        if (!errs.isEmpty()) {
            throw ApiException.badRequest("Name parameter invalid: " + FieldError.quote(name) + ": "
                    + String.join(";", errs));
        }
    }
}
