package dev.ippool.apiserver.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.kinds.Catalog;
import dev.ippool.apiserver.openapi.OpenApiV3;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * OpenAPI v3 as kube-openapi's handler3 serves it: a root listing each group-version's document with a
 * content hash, and the documents themselves (immutable under their hash; ETag / If-None-Match). Built once:
 * the served resources do not change while the server runs. There is no {@code /openapi/v2}: kubectl 1.32
 * reads v3, and v2 would have to be protobuf.
 */
@Path("/openapi/v3")
public class OpenApiEndpoints {

    private record Document(byte[] body, String hash) {
    }

    private final Map<String, Document> documents = new LinkedHashMap<>();
    private final byte[] root;

    public OpenApiEndpoints(Codec codec) {
        Map<String, List<ResourceDefinition>> byGroupVersion = Catalog.standard().resources().stream()
                .collect(Collectors.groupingBy(ResourceDefinition::apiVersion, LinkedHashMap::new,
                        Collectors.toList()));
        ObjectNode paths = JsonNodeFactory.instance.objectNode();
        byGroupVersion.forEach((gv, resources) -> {
            ResourceDefinition first = resources.get(0);
            byte[] body = codec.encode(OpenApiV3.document(first.group(), first.version(), resources));
            String hash = DiscoveryEndpoints.etag(body).replace("\"", "");
            documents.put("apis/" + gv, new Document(body, hash));
            paths.putObject("apis/" + gv).put("serverRelativeURL", "/openapi/v3/apis/" + gv + "?hash=" + hash);
        });
        ObjectNode rootDoc = JsonNodeFactory.instance.objectNode();
        rootDoc.set("paths", paths);
        this.root = codec.encode(rootDoc);
    }

    @GET
    public Response root() {
        return Response.ok(root).type("application/json").build();
    }

    @GET
    @Path("apis/{group}/{version}")
    public Response groupVersion(@PathParam("group") String group, @PathParam("version") String version,
            @QueryParam("hash") String hash, @Context HttpHeaders headers) {
        String key = "apis/" + group + "/" + version;
        Document doc = documents.get(key);
        if (doc == null) {
            throw new NotFoundException();
        }
        if (hash != null && !hash.isEmpty() && !hash.equals(doc.hash())) {
            // an outdated hash: send the client to the current document, as handler3 does
            return Response.status(301).location(URI.create("/openapi/v3/" + key + "?hash=" + doc.hash())).build();
        }
        String etag = "\"" + doc.hash() + "\"";
        Response.ResponseBuilder builder = etag.equals(headers.getHeaderString("If-None-Match"))
                ? Response.notModified() : Response.ok(doc.body()).type("application/json");
        builder.header("ETag", etag);
        if (hash != null && !hash.isEmpty()) {
            builder.header("Cache-Control", "public, immutable");
        }
        return builder.build();
    }
}
