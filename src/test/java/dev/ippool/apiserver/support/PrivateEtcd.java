package dev.ippool.apiserver.support;

import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import dev.ippool.apiserver.storage.etcd.EtcdStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of plain JUnit tests that need their own etcd and an {@link EtcdStore} on it. */
public abstract class PrivateEtcd {

    protected static EtcdProcess etcd;
    protected static EtcdStore etcdStore;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.startTemporary();
        etcdStore = new EtcdStore(EtcdStore.connect(List.of(etcd.clientUrl()), Duration.ofSeconds(5), 1 << 26),
                Duration.ofSeconds(5));
    }

    @AfterAll
    static void stopEtcd() {
        etcdStore.close();
        etcd.close();
    }
}
