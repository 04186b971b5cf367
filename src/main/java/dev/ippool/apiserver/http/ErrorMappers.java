package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.Status;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
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
        LOG.error("unexpected error", e);
        return status(ApiException.internal(String.valueOf(e.getMessage())).status(), headers);
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
