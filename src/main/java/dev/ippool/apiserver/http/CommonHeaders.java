package dev.ippool.apiserver.http;

import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Headers kube-apiserver sets on every response ({@code Audit-Id} comes from the {@link Gatekeeper}). */
public class CommonHeaders {

    @ServerResponseFilter
    public void add(ContainerResponseContext response) {
        // WithCacheControl sets it only where the handler did not (aggregated discovery says "public")
        if (!response.getHeaders().containsKey("Cache-Control")) {
            response.getHeaders().putSingle("Cache-Control", "no-cache, private");
        }
    }
}
