package dev.ippool.apiserver.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * kube-apiserver's probe endpoints, open to anyone: {@code /livez}, {@code /readyz}, {@code /healthz} answer
 * {@code ok} (with {@code ?verbose}, one line per check then "<probe> check passed"). Real checks come with the
 * operations issue.
 */
@Singleton
public class Probes {

    static boolean isProbe(String path) {
        return path != null && (path.equals("/livez") || path.equals("/readyz") || path.equals("/healthz")
                || path.startsWith("/livez/") || path.startsWith("/readyz/") || path.startsWith("/healthz/")
                || path.startsWith("/q/health"));
    }

    void install(@Observes Router router) {
        for (String probe : new String[] {"livez", "readyz", "healthz"}) {
            router.route(HttpMethod.GET, "/" + probe).order(-900).handler(ctx -> answer(ctx, probe));
        }
    }

    private static void answer(RoutingContext ctx, String probe) {
        boolean verbose = ctx.queryParams().contains("verbose");
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-cache, private")
                .end(verbose ? "[+]ping ok\n" + probe + " check passed\n" : "ok");
    }
}
