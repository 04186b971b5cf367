package dev.ippool.apiserver.http;

import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.kinds.Catalog;
import dev.ippool.apiserver.storage.Store;
import dev.ippool.apiserver.storage.etcd.EtcdStore;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * kube-apiserver's probe endpoints, open to anyone, in its format (healthz.go): {@code ok}, or with
 * {@code ?verbose} one {@code [+]check ok} line per check and "<probe> check passed"; a failing check makes it a
 * 500 listing {@code [-]check failed: reason withheld}. /livez is the process alone (restarting the pod does not
 * bring etcd back); /readyz and /healthz also need etcd reachable and every watch cache loaded.
 */
@Singleton
public class Probes {

    private final Map<String, BooleanSupplier> liveness = Map.of("ping", () -> true);

    private final Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();

    public Probes(EtcdStore etcd, Store store, IppoolConfig config) {
        String probeKey = config.etcd().keyPrefix() + "/ippool-apiserver/readyz";
        readiness.put("ping", () -> true);
        readiness.put("etcd", () -> {
            try {
                etcd.get(probeKey);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        readiness.put("informer-sync", () -> Catalog.standard().resources().stream().allMatch(r -> {
            try {
                store.requireReady(r.storagePrefix(config.etcd().keyPrefix()));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }));
    }

    static boolean isProbe(String path) {
        return path != null && (path.equals("/livez") || path.equals("/readyz") || path.equals("/healthz")
                || path.startsWith("/livez/") || path.startsWith("/readyz/") || path.startsWith("/healthz/")
                || path.startsWith("/q/health"));
    }

    void install(@Observes Router router) {
        // /livez checks nothing that blocks: answered on the event loop, as cheap as a GET can be here
        router.route(HttpMethod.GET, "/livez").order(-900).handler(ctx -> write(ctx, "livez", run(liveness)));
        router.route(HttpMethod.GET, "/readyz").order(-900).handler(ctx -> answer(ctx, "readyz", readiness));
        router.route(HttpMethod.GET, "/healthz").order(-900).handler(ctx -> answer(ctx, "healthz", readiness));
    }

    /** Whether every readiness check passes now (blocking: etcd is asked). For Quarkus' /q/health. */
    public boolean ready() {
        return readiness.values().stream().allMatch(BooleanSupplier::getAsBoolean);
    }

    private static void answer(RoutingContext ctx, String probe, Map<String, BooleanSupplier> checks) {
        // the etcd check blocks on the network: never on the event loop
        ctx.vertx().<List<String>>executeBlocking(() -> run(checks), false).onComplete(result -> write(ctx, probe,
                result.succeeded() ? result.result() : List.of("[-]probe failed\n", "probe")));
    }

    /** One {@code [+]/[-]} line per check, then the names of those that failed. */
    private static List<String> run(Map<String, BooleanSupplier> checks) {
        List<String> failed = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        checks.forEach((name, check) -> {
            boolean ok = check.getAsBoolean();
            lines.append(ok ? "[+]" + name + " ok\n" : "[-]" + name + " failed: reason withheld\n");
            if (!ok) {
                failed.add(name);
            }
        });
        failed.add(0, lines.toString());
        return failed;
    }

    private static void write(RoutingContext ctx, String probe, List<String> outcome) {
        boolean verbose = ctx.queryParams().contains("verbose");
        boolean passed = outcome.size() == 1;
        String body = passed ? (verbose ? outcome.get(0) + probe + " check passed\n" : "ok")
                : outcome.get(0) + probe + " check failed\n";
        ctx.response().setStatusCode(passed ? 200 : 500)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-cache, private")
                .end(body);
    }
}
