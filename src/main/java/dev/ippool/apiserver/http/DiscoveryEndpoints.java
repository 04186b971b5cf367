package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.discovery.Discovery;
import dev.ippool.apiserver.discovery.DiscoveryTypes.VersionInfo;
import dev.ippool.apiserver.registry.Namespaces;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Discovery as kube-apiserver serves it for CRDs: {@code /apis} (legacy {@code APIGroupList}, or aggregated
 * {@code APIGroupDiscoveryList} with ETag when asked for), {@code /apis/<group>}, and {@code /version}. The
 * group-version document is in {@link ResourceEndpoints}, whose path it shares. {@code /api} stays a 404,
 * which client-go and kubectl read as "no core group".
 */
@Path("/")
public class DiscoveryEndpoints {

    static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=%s;as=APIGroupDiscoveryList";

    private final Discovery discovery;
    private final Responses responses;
    private final Codec codec;

    public DiscoveryEndpoints(Discovery discovery, Responses responses, Codec codec) {
        this.discovery = discovery;
        this.responses = responses;
        this.codec = codec;
    }

    @GET
    @Path("apis")
    public Response apis(@Context UriInfo uri, @Context HttpHeaders headers) {
        String version = aggregatedVersion(headers.getHeaderString(HttpHeaders.ACCEPT));
        if (version == null) {
            return responses.ok(discovery.groupList(), headers, new Query(uri.getQueryParameters()), null);
        }
        byte[] body = codec.encode(discovery.aggregated("apidiscovery.k8s.io/" + version));
        String etag = etag(body);
        Response.ResponseBuilder builder = etag.equals(headers.getHeaderString("If-None-Match"))
                ? Response.notModified() : Response.ok(body);
        return builder.type(String.format(AGGREGATED, version)).header("ETag", etag).header("Vary", "Accept")
                .header("Cache-Control", "public").build();
    }

    @GET
    @Path("apis/{group}")
    public Response group(@PathParam("group") String group, @Context UriInfo uri, @Context HttpHeaders headers) {
        return responses.ok(discovery.group(group).orElseThrow(NotFoundException::new), headers,
                new Query(uri.getQueryParameters()), null);
    }

    /**
     * Namespaces are implicit: each valid name reads as an active Namespace (an invalid one is 404), so kubectl's
     * check after a 404 finds the namespace and reports the missing object, as against kube.
     */
    @GET
    @Path("api/v1/namespaces/{name}")
    public Response namespace(@PathParam("name") String name, @Context UriInfo uri, @Context HttpHeaders headers) {
        return responses.ok(Namespaces.view(name), headers, new Query(uri.getQueryParameters()), null);
    }

    /** {@code version.Info}; kube writes it indented whatever the client asks. */
    @GET
    @Path("version")
    public Response version() {
        Package pkg = DiscoveryEndpoints.class.getPackage();
        String ours = pkg.getImplementationVersion() == null ? "dev" : pkg.getImplementationVersion();
        VersionInfo info = new VersionInfo("1", "32", "v1.32.0+ippool-apiserver." + ours, "", "clean", "",
                "java" + Runtime.version().feature(), "javac", "linux/" + arch());
        return Response.ok(codec.encode(info, true)).type("application/json").build();
    }

    /** The aggregated-discovery version the Accept header asks for first, or null for the legacy document. */
    static String aggregatedVersion(String accept) {
        if (accept == null) {
            return null;
        }
        for (String range : accept.split(",")) {
            String[] params = range.split(";");
            String type = params[0].trim().toLowerCase(Locale.ROOT);
            String g = null;
            String v = null;
            String as = null;
            for (int i = 1; i < params.length; i++) {
                String[] kv = params[i].trim().split("=", 2);
                if (kv.length == 2) {
                    switch (kv[0]) {
                        case "g" -> g = kv[1];
                        case "v" -> v = kv[1];
                        case "as" -> as = kv[1];
                        default -> {
                        }
                    }
                }
            }
            if (type.equals("application/json") && "apidiscovery.k8s.io".equals(g)
                    && "APIGroupDiscoveryList".equals(as) && ("v2".equals(v) || "v2beta1".equals(v))) {
                return v;
            }
            if (as == null && (type.equals("application/json") || type.equals("*/*"))) {
                return null;
            }
        }
        return null;
    }

    /** aggregated/etag.go: the quoted hex of a hash of the document. */
    static String etag(byte[] body) {
        try {
            byte[] sum = MessageDigest.getInstance("SHA-512").digest(body);
            return "\"" + HexFormat.of().withUpperCase().formatHex(sum) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-512", e);
        }
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("x86_64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch;
    }
}
