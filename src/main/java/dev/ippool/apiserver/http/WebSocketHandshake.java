package dev.ippool.apiserver.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * kube-apiserver answers a watch that asks for {@code Upgrade: websocket} with a WebSocket (one event per text
 * message) through Go's {@code golang.org/x/net/websocket}; these are that library's checks and refusals, so a
 * client sees the same answers. fabric8 watches this way by default.
 */
final class WebSocketHandshake {

    /** apimachinery's wsstream: "upgrade" as one of the Connection header's tokens. */
    private static final Pattern CONNECTION_UPGRADE = Pattern.compile("(^|.*,\\s*)upgrade($|\\s*,)");

    private WebSocketHandshake() {
    }

    /** wsstream.IsWebSocketRequest. */
    static boolean requested(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        String connection = request.getHeader("Connection");
        return "websocket".equalsIgnoreCase(upgrade) && connection != null
                && CONNECTION_UPGRADE.matcher(connection.toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * Refuses a handshake the Go library would refuse, writing its answer and closing the connection; returns
     * false when the upgrade may go ahead.
     */
    static boolean refused(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        String key = request.getHeader("Sec-WebSocket-Key");
        if (key == null || key.isEmpty()) {
            refuse(request, response.setStatusCode(400), "mismatch challenge/response");
            return true;
        }
        if (!"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
            refuse(request, response.setStatusCode(400).putHeader("Sec-WebSocket-Version", "13"), "bad protocol version");
            return true;
        }
        if (!validOrigin(request.getHeader("Origin"))) {
            // x/net/websocket.Handler's checkOrigin: no or unparsable Origin is 403 with an empty body
            refuse(request, response.setStatusCode(403), "");
            return true;
        }
        return false;
    }

    /** url.ParseRequestURI: an absolute URI or an absolute path. */
    private static boolean validOrigin(String origin) {
        if (origin == null || origin.isEmpty()) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            return uri.isAbsolute() || origin.startsWith("/");
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Go writes the refusal on the hijacked connection and closes it. */
    private static void refuse(HttpServerRequest request, HttpServerResponse response, String body) {
        response.putHeader("Connection", "close").end(body).onComplete(v -> request.connection().close());
    }
}
