package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.Status;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where errors become responses. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    private final Codec codec;

    public ErrorMappers(Codec codec) {
        this.codec = codec;
    }

    @ServerExceptionMapper
    public Response api(ApiException e, HttpHeaders headers) {
        return status(e.status(), headers);
    }

    /**
     * Paths and methods nothing serves: Go's {@code http.NotFound}, plain text, exactly what kube's delegate
     * answers for unknown groups, versions, resources and verbs a path does not take.
     */
    @ServerExceptionMapper({NotFoundException.class, NotAllowedException.class})
    public Response unrouted(WebApplicationException e) {
        return pageNotFound();
    }

    /** A bug: anything not already an API error is a 500 and is logged, as kube's ErrorToAPIStatus does. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, HttpHeaders headers) {
        if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            return status(Status.failure(w.getResponse().getStatus(), "", w.getMessage(), null), headers);
        }
        return status(statusOf(e), headers);
    }

    /**
     * The Status of a failure met outside JAX-RS (a stage's failure unwrapped first): an API error's own, else a
     * logged 500, as the mappers above answer.
     */
    static Status statusOf(Throwable error) {
        Throwable e = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
        if (e instanceof ApiException api) {
            return api.status();
        }
        LOG.error("unexpected error", e);
        return ApiException.internal(String.valueOf(e.getMessage())).status();
    }

    /** {@code status} written as the mappers above write it, for routes outside JAX-RS. */
    static void write(HttpServerResponse response, Codec codec, Status status, boolean pretty) {
        response.setStatusCode(status.code()).putHeader("Content-Type", Responses.JSON)
                .putHeader("Cache-Control", "no-cache, private");
        if (status.details() != null && status.details().retryAfterSeconds() != null) {
            response.putHeader("Retry-After", status.details().retryAfterSeconds().toString());
        }
        response.end(Buffer.buffer(codec.encode(status, pretty)));
    }

    /** The same plain-text 404, for routes outside JAX-RS. */
    static void pageNotFound(io.vertx.core.http.HttpServerResponse response) {
        response.setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff").end("404 page not found\n");
    }

    static Response pageNotFound() {
        return Response.status(404).entity("404 page not found\n").type("text/plain; charset=utf-8")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    private Response status(Status status, HttpHeaders headers) {
        Response.ResponseBuilder builder = Response.status(status.code())
                .entity(codec.encode(status, Responses.pretty(headers, null)))
                .type(Responses.JSON);
        if (status.details() != null && status.details().retryAfterSeconds() != null) {
            builder.header("Retry-After", status.details().retryAfterSeconds());
        }
        return builder.build();
    }
}
