package dev.ippool.apiserver.support;

import io.vertx.core.MultiMap;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the Vert.x-route tests share: a request's head and query as the routes see them, and the order of a
 * response's header names, the one trace of whether a route or the JAX-RS resource answered.
 */
public final class RouteProbes {

    private RouteProbes() {
    }

    public static MultiMap headers(Map<String, String> headers) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(map::add);
        return map;
    }

    /** {@code a=1&b=2} as query parameters (no decoding: the tests' values need none). */
    public static MultiMap query(String query) {
        MultiMap params = MultiMap.caseInsensitiveMultiMap();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                params.add(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return params;
    }

    /**
     * The response's header names in the order they came (java.net.http sorts them; Vert.x keeps the order they
     * were set in). Reads the body, so the connection is reused.
     */
    public static List<String> headerNames(HttpURLConnection answered) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 1; answered.getHeaderFieldKey(i) != null; i++) {
            names.add(answered.getHeaderFieldKey(i));
        }
        answered.getInputStream().readAllBytes();
        return names;
    }
}
