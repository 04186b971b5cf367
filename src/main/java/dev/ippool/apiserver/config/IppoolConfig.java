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

    interface Watch {
        /** Recent changes the watch cache keeps for watches starting in the past. Defaults to 1024. */
        @WithDefault("1024")
        int cacheCapacity();

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
    }
}
