package dev.ippool.apiserver.http;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Writes every body (the resources answer bytes they encoded themselves), and drops the body of a request the
 * {@link Gatekeeper} has already answered 504: as kube's timeout filter does, the handler finishes and its late
 * answer goes nowhere. Without this, Vert.x refuses the second write and the refusal is logged as a bug.
 */
@Provider
@Produces(MediaType.WILDCARD)
public class LateResponses implements ServerMessageBodyWriter<byte[]> {

    private static final Logger LOG = Logger.getLogger(LateResponses.class);

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
            MediaType mediaType) {
        return type == byte[].class;
    }

    @Override
    public void writeResponse(byte[] body, Type genericType, ServerRequestContext context) {
        ServerHttpResponse response = context.serverResponse();
        if (response.headWritten() || response.closed()) {
            dropped(context);
            return;
        }
        try {
            response.end(body);
        } catch (IllegalStateException e) {
            // the timeout answered between the check and this write (it runs on the event loop)
            if (!response.headWritten()) {
                throw e;
            }
            dropped(context);
        }
    }

    private static void dropped(ServerRequestContext context) {
        ResteasyReactiveResourceInfo resource = context.getResteasyReactiveResourceInfo();
        LOG.debugf("late answer dropped: %s, already answered at the request timeout",
                resource == null ? "a request" : resource.getResourceClass().getSimpleName() + "." + resource.getName());
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == byte[].class;
    }

    /** The plain JAX-RS path, which Quarkus REST does not take for server responses. */
    @Override
    public void writeTo(byte[] body, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        out.write(body);
    }
}
