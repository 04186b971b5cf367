package dev.ippool.apiserver.dev;

import dev.ippool.apiserver.storage.etcd.EtcdProcess;
import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * In dev mode only: a private etcd under {@code target/dev-etcd}, started when no endpoints are configured so
 * that {@code ./mvnw quarkus:dev} needs nothing else. Stopped when the application stops.
 */
@Singleton
@IfBuildProfile("dev")
public class DevEtcd {

    private static final Logger LOG = Logger.getLogger(DevEtcd.class);

    private EtcdProcess process;

    /** Starts etcd on first use and returns its client URL. */
    public synchronized String endpoint() {
        if (process == null) {
            process = EtcdProcess.startIn(Path.of("target", "dev-etcd").toAbsolutePath());
            LOG.infof("dev mode: started a private etcd at %s (data in target/dev-etcd)", process.clientUrl());
        }
        return process.clientUrl();
    }

    @PreDestroy
    synchronized void stop() {
        if (process != null) {
            process.close();
        }
    }
}
