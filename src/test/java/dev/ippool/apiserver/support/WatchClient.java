package dev.ippool.apiserver.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Opens a watch over plain HTTP and reads it line by line, as fabric8's older clients and kubectl do. Each line
 * must be one complete JSON event.
 */
public final class WatchClient implements AutoCloseable {

    private static final Object END = new Object();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<Stream<String>> response;
    private final LinkedBlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final ObjectMapper json = new ObjectMapper();
    private final Thread reader;

    private WatchClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(() -> {
            try (Stream<String> body = response.body()) {
                body.forEach(lines::add);
            } catch (UncheckedIOException e) {
                // the connection was closed under us
            } finally {
                lines.add(END);
            }
        }, "watch-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code url} (path and query); returns once the response head has arrived. */
    public static WatchClient open(String baseUrl, String pathAndQuery) {
        return open(baseUrl, pathAndQuery, null);
    }

    /** Opens {@code url} with an Accept header (null: none). */
    public static WatchClient open(String baseUrl, String pathAndQuery, String accept) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET();
            if (accept != null) {
                builder.header("Accept", accept);
            }
            HttpRequest request = builder.build();
            return new WatchClient(HTTP.send(request, HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public HttpHeaders headers() {
        return response.headers();
    }

    /** The next raw line, or null if the stream ended; fails after 10 s. */
    public String nextLine() throws InterruptedException {
        Object o = lines.poll(10, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("no event within 10 s");
        }
        return o == END ? null : (String) o;
    }

    /** The next event, parsed; fails if the stream ends first. */
    public JsonNode next() throws InterruptedException {
        String line = nextLine();
        if (line == null) {
            throw new AssertionError("the watch ended");
        }
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not one JSON object per line: " + line, e);
        }
    }

    public List<JsonNode> next(int n) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    /** Whether the stream ends (the server closed it) within {@code seconds}, with nothing more on it. */
    public boolean endsWithin(long seconds) throws InterruptedException {
        Object o = lines.poll(seconds, TimeUnit.SECONDS);
        return o == END;
    }

    /** Nothing arrives for {@code millis}. */
    public boolean quietFor(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            response.body().close();
        } catch (RuntimeException e) {
            // already closed
        }
    }
}
