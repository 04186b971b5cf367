package dev.ippool.apiserver.support;

import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A private etcd for the {@code @QuarkusTest}s: free loopback ports, a temporary data directory. */
public class EtcdTestResource implements QuarkusTestResourceLifecycleManager {

    private EtcdProcess etcd;

    @Override
    public Map<String, String> start() {
        etcd = EtcdProcess.startTemporary();
        return Map.of("ippool.etcd.endpoints", etcd.clientUrl());
    }

    @Override
    public void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }
}
