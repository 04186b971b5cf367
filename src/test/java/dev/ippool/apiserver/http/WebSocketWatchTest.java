package dev.ippool.apiserver.http;

import static dev.ippool.apiserver.support.Api.createPool;
import static dev.ippool.apiserver.support.Api.freshNamespace;
import static dev.ippool.apiserver.support.Api.pool;
import static dev.ippool.apiserver.support.Api.pools;
import static dev.ippool.apiserver.support.Api.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippool.apiserver.support.WatchClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A watch asking for {@code Upgrade: websocket} gets what kube-apiserver gives (watch.go HandleWS through
 * golang.org/x/net/websocket): 101, then one text message per event; the same library's refusals otherwise.
 */
@QuarkusTest
class WebSocketWatchTest {

    @TestHTTPResource("/")
    URL root;

    private final ObjectMapper json = new ObjectMapper();

    /** Collects text messages; "CLOSE <code>" when the server closes. */
    private static final class Messages implements WebSocket.Listener {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            received.add("CLOSE " + statusCode);
            return null;
        }

        String next() throws InterruptedException {
            String m = received.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a message within 10 s").isNotNull();
            return m;
        }
    }

    private URI wsUri(String pathAndQuery) {
        return URI.create("ws://" + root.getHost() + ":" + root.getPort() + pathAndQuery);
    }

    @Test
    @DisplayName("101, then ADDED, MODIFIED, DELETED as one JSON text message each; timeoutSeconds closes (1000)")
    void eventsAsMessages() throws Exception {
        String ns = freshNamespace();
        String created = createPool(ns, "p");
        Messages messages = new Messages();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", root.toString())
                .buildAsync(wsUri(pools(ns) + "?watch=true&timeoutSeconds=3"), messages).join();
        try {
            String first = messages.next();
            assertThat(first).endsWith("}\n");
            JsonNode added = json.readTree(first);
            assertThat(added.path("type").asText()).isEqualTo("ADDED");
            assertThat(added.path("object").path("kind").asText()).isEqualTo("IPPool");
            assertThat(added.path("object").path("metadata").path("resourceVersion").asText()).isEqualTo(created);

            String modified = request().contentType("application/merge-patch+json")
                    .body("{\"metadata\":{\"labels\":{\"a\":\"b\"}}}").patch(pool(ns, "p")).then().statusCode(200)
                    .extract().path("metadata.resourceVersion");
            JsonNode event = json.readTree(messages.next());
            assertThat(event.path("type").asText()).isEqualTo("MODIFIED");
            assertThat(event.path("object").path("metadata").path("resourceVersion").asText()).isEqualTo(modified);

            request().delete(pool(ns, "p")).then().statusCode(200);
            assertThat(json.readTree(messages.next()).path("type").asText()).isEqualTo("DELETED");
            assertThat(messages.next()).isEqualTo("CLOSE 1000");
        } finally {
            ws.abort();
        }
    }

    @Test
    @DisplayName("x/net/websocket's refusals: no Origin 403, a version other than 13 400, no key 400")
    void refusals() throws Exception {
        Throwable noOrigin = catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(wsUri(pools("ns") + "?watch=true"), new Messages()).join());
        assertThat(noOrigin).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) noOrigin.getCause()).getResponse().statusCode()).isEqualTo(403);

        assertThat(rawHandshake("Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"))
                .startsWith("HTTP/1.1 400 Bad Request\r\n").containsIgnoringCase("sec-websocket-version: 13\r\n")
                .endsWith("\r\n\r\nbad protocol version");
        assertThat(rawHandshake("Sec-WebSocket-Version: 13\r\n"))
                .startsWith("HTTP/1.1 400 Bad Request\r\n").endsWith("\r\n\r\nmismatch challenge/response");
    }

    @Test
    @DisplayName("Upgrade: websocket without Connection: Upgrade is a plain chunked watch")
    void upgradeHeaderAloneIsPlain() throws Exception {
        String ns = freshNamespace();
        createPool(ns, "p");
        try (WatchClient watch = WatchClient.open(root.toString().replaceAll("/$", ""), pools(ns) + "?watch=1")) {
            assertThat(watch.status()).isEqualTo(200);
            assertThat(watch.next().path("type").asText()).isEqualTo("ADDED");
        }
    }

    @Test
    @DisplayName("invalid watch options are the usual 422 Status, before any upgrade")
    void optionsCheckedFirst() {
        request().header("Connection", "Upgrade").header("Upgrade", "websocket")
                .get(pools("ns") + "?watch=true&resourceVersionMatch=Exact").then().statusCode(422)
                .body("reason", org.hamcrest.Matchers.equalTo("Invalid"));
    }

    /** Sends a watch upgrade with the given extra headers and reads the whole answer until the server closes. */
    private String rawHandshake(String headers) throws Exception {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + pools("ns") + "?watch=true HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nOrigin: http://localhost\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
