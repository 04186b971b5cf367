package dev.ippool.apiserver.config;

import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.Status;
import dev.ippool.apiserver.security.Rbac;
import dev.ippool.apiserver.security.TokenFile;
import dev.ippool.apiserver.storage.etcd.EtcdStore;
import io.quarkus.runtime.ImageMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * The part of a start that needs no configuration, done on a thread of its own while Quarkus initialises.
 *
 * <p>Why: on 2 cores a start's critical path is its main thread. It built the application's beans one after the
 * other in Quarkus's router step, loading and initialising the classes of Jackson, SnakeYAML, protobuf and gRPC
 * as it went, while the second core was mostly idle. This thread starts with the CDI container, in Quarkus's
 * static initialisation, about 0.4 s before the router step, and builds the {@link Codec} (its two mappers were
 * the largest single part of the service's own start) and initialises the classes the token, RBAC and etcd beans
 * then use. The main thread takes the codec built, and finds those classes ready (README, Performance, B9).
 *
 * <p>Only ever a head start: nothing here reads configuration or touches a file, a socket or etcd, and what
 * fails here is done again, and reported, where it is needed.
 */
@Singleton
public class StartAhead {

    private static final Logger LOG = Logger.getLogger(StartAhead.class);

    /** Both kinds of document the RBAC file holds, so the parse takes every branch a real policy takes. */
    private static final String POLICY = """
            kind: ClusterRole
            metadata: {name: reader}
            rules:
            - {apiGroups: [whereabouts.cni.cncf.io], resources: [ippools], verbs: [get, list, watch]}
            ---
            kind: ClusterRoleBinding
            metadata: {name: reader}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
            subjects:
            - {kind: ServiceAccount, name: reader, namespace: default}
            """;

    private final CompletableFuture<Codec> codec = new CompletableFuture<>();
    private volatile boolean started;

    void start(@Observes @Initialized(ApplicationScoped.class) Object containerStarted) {
        // a native image runs static initialisation while it is built, and may keep no thread from it
        if (ImageMode.current() == ImageMode.NATIVE_BUILD) {
            return;
        }
        Thread thread = new Thread(this::run, "start-ahead");
        thread.setDaemon(true);
        started = true;
        thread.start();
    }

    private void run() {
        Codec built;
        try {
            built = new Codec();
        } catch (RuntimeException | Error e) {
            codec.completeExceptionally(e);
            return;
        }
        codec.complete(built);
        try {
            Rbac.parse(POLICY, built.yamlMapper());
            TokenFile.parse("token,user,uid,\"group\"\n");
            built.encode(Status.failure(404, "NotFound", "not found", null));
            built.decodeStored("{\"metadata\":{\"name\":\"x\"},\"spec\":{\"range\":\"10.0.0.0/24\"}}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            EtcdStore.preload();
        } catch (RuntimeException | Error e) {
            LOG.debugf(e, "start-ahead: a warm-up failed, its work is done when it is needed");
        }
    }

    /** The codec this thread built, or one built now where it did not run or failed. */
    public Codec codec() {
        if (started) {
            try {
                return codec.join();
            } catch (CompletionException e) {
                // built again below, so the failure is reported where the codec is needed
            }
        }
        return new Codec();
    }
}
