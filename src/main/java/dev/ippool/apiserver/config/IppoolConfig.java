package dev.ippool.apiserver.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything under {@code ippool.*}. */
@ConfigMapping(prefix = "ippool")
public interface IppoolConfig {

    /** The etcd connection. */
    Etcd etcd();

    /** Request limits. */
    Limits limits();

    /** Watches and the watch cache. */
    Watch watch();

    /** Authentication and authorization. */
    Auth auth();

    /** The audit log. */
    Audit audit();

    /** HTTPS. */
    Tls tls();

    /** Metrics. */
    Metrics metrics();

    interface Metrics {
        /**
         * Require a bearer token or client certificate (and, with an RBAC file, a nonResourceURLs rule for
         * {@code get /metrics}) on the management port's metrics. Defaults to false: restrict the port instead.
         */
        @WithDefault("false")
        boolean requireAuth();

        /** How often pool utilisation is recomputed from the watch cache. Defaults to 5 s. */
        @WithDefault("5s")
        Duration poolRefreshInterval();
    }

    /** Read by {@link TlsConfigSource}, which configures the HTTPS server from these. */
    interface Tls {
        /** Server certificate chain (PEM). With the key: HTTPS only. */
        Optional<String> certFile();

        /** Server private key (PEM). */
        Optional<String> keyFile();

        /** CA bundle (PEM) that client certificates must chain to; CN is the user, O the groups. */
        Optional<String> clientCaFile();

        /** How often the certificate files are re-read. Defaults to 1 min. */
        @WithDefault("1m")
        Duration reloadInterval();

        /** Keep serving plain HTTP next to HTTPS. Defaults to false. */
        @WithDefault("false")
        boolean allowPlainHttp();
    }

    interface Auth {
        /** Bearer tokens in kube-apiserver's --token-auth-file CSV format; reloaded when it changes. */
        Optional<String> tokenFile();

        /** Role, ClusterRole, RoleBinding and ClusterRoleBinding YAML; reloaded when it changes. No file: allow all. */
        Optional<String> rbacFile();

        /**
         * Requests without credentials act as system:anonymous (group system:unauthenticated). Without any
         * authentication configured the service refuses to start unless this is true (dev and test set it).
         */
        @WithDefault("false")
        boolean allowAnonymous();

        /**
         * CA (PEM) of kube-apiserver's front proxy (--requestheader-client-ca-file): only connections whose client
         * certificate it signed may name the user in X-Remote-User / X-Remote-Group / X-Remote-Extra-*.
         */
        Optional<String> requestheaderClientCa();

        /** Common names the front proxy's certificate may have; empty: any certificate from that CA. */
        Optional<List<String>> requestheaderAllowedNames();

        /** How often the token and RBAC files are checked for changes. Defaults to 1 s. */
        @WithDefault("1s")
        Duration reloadInterval();
    }

    interface Audit {
        /** Where audit lines go: a file path, or "-" for standard output. Unset: no audit log. */
        Optional<String> file();
    }

    interface Watch {
        /** Recent changes the watch cache keeps for watches starting in the past. Defaults to 1024. */
        @WithDefault("1024")
        int cacheCapacity();

        /**
         * Bytes of objects that ring of recent changes may hold, per resource: a few revisions of a
         * 65,536-allocation pool (7 MB each) must not fill the heap. Defaults to 128 MiB.
         */
        @WithDefault("134217728")
        long cacheMaxBytes();

        /** How often a watch with allowWatchBookmarks gets a bookmark. Defaults to 1 min, as kube. */
        @WithDefault("60s")
        Duration bookmarkInterval();

        /** Bytes written to one watcher but not yet taken by its socket before it counts as too slow and is cut off. Defaults to 32 MiB. */
        @WithDefault("33554432")
        int maxBufferedBytes();
    }

    interface Etcd {
        /**
         * etcd client URLs ({@code ETCD_ENDPOINTS}, comma-separated). Unset in dev mode: a private etcd is started.
         */
        Optional<List<String>> endpoints();

        /** Prefix of every key, as kube-apiserver's {@code --etcd-prefix}. Defaults to {@code /registry}. */
        @WithDefault("/registry")
        String keyPrefix();

        /** Deadline of every etcd call; past it the request gets 500 ServerTimeout. Defaults to 5 s. */
        @WithDefault("5s")
        Duration requestTimeout();

        /** How often the service compacts etcd, keeping one interval of history; 0 disables. Defaults to 5 min. */
        @WithDefault("5m")
        Duration compactionInterval();

        /** Largest etcd response the client accepts, so large pools and lists stay readable. Defaults to 512 MiB. */
        @WithDefault("536870912")
        int maxInboundMessageBytes();
    }

    interface Limits {
        /** Largest request body; larger bodies get 413. Defaults to kube-apiserver's 3 MiB. */
        @WithDefault("3145728")
        long maxBodyBytes();

        /** Read-only requests in flight (watches excluded) before 429, as --max-requests-inflight. */
        @WithDefault("400")
        int maxReadonlyInFlight();

        /** Mutating requests in flight before 429, as --max-mutating-requests-inflight. */
        @WithDefault("200")
        int maxMutatingInFlight();

        /** A read that has not answered by then gets 504 Timeout (kube's --request-timeout). */
        @WithDefault("60s")
        Duration readTimeout();

        /** A write that has not answered by then gets 504 Timeout. */
        @WithDefault("34s")
        Duration writeTimeout();
    }
}
