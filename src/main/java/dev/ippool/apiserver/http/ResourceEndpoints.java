package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.DeleteOptions;
import dev.ippool.apiserver.api.ListOptions;
import dev.ippool.apiserver.api.RawJson;
import dev.ippool.apiserver.api.WriteOptions;
import dev.ippool.apiserver.discovery.Discovery;
import dev.ippool.apiserver.registry.Deleter;
import dev.ippool.apiserver.registry.Getter;
import dev.ippool.apiserver.registry.Offload;
import dev.ippool.apiserver.registry.ResourceRegistry;
import dev.ippool.apiserver.registry.Warnings;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The resource paths under {@code /apis/{group}/{version}}: thin, no storage. Each method parses its options
 * once, picks the registry of the resource named in the path (unknown ones are the plain-text 404 kube's
 * delegate answers), and writes the result.
 */
@Path("/apis/{group}/{version}")
public class ResourceEndpoints {

    private final Registries registries;
    private final BodyDecoder decoder;
    private final Responses responses;
    private final Discovery discovery;

    public ResourceEndpoints(Registries registries, BodyDecoder decoder, Responses responses,
            Discovery discovery) {
        this.registries = registries;
        this.decoder = decoder;
        this.responses = responses;
        this.discovery = discovery;
    }

    /** The group-version discovery document ({@code APIResourceList}). */
    @GET
    public Response resources(@PathParam("group") String group, @PathParam("version") String version,
            @Context UriInfo uri, @Context HttpHeaders headers) {
        return responses.ok(discovery.resources(group, version).orElseThrow(NotFoundException::new),
                headers, new Query(uri.getQueryParameters()), null);
    }

    @GET
    @Path("{plural}")
    public Response listAllNamespaces(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("plural") String plural, @Context UriInfo uri, @Context HttpHeaders headers) {
        return list(entry(group, version, plural), null, uri, headers);
    }

    @GET
    @Path("namespaces/{namespace}/{plural}")
    public Response list(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("namespace") String namespace, @PathParam("plural") String plural, @Context UriInfo uri,
            @Context HttpHeaders headers) {
        return list(entry(group, version, plural), namespace, uri, headers);
    }

    /**
     * Runs on the event loop up to the etcd write, whose completion answers: a create then waits on no thread,
     * and pays no hand-off to a worker and back. dryRun (its existence check reads etcd) and bodies over
     * {@link Continuations#EVENT_LOOP_MAX_BYTES} (decoding them would hold up the loop) run on a worker.
     */
    @POST
    @Path("namespaces/{namespace}/{plural}")
    public Uni<Response> create(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("namespace") String namespace, @PathParam("plural") String plural, @Context UriInfo uri,
            @Context HttpHeaders headers, byte[] body) {
        Registries.Entry entry = entry(group, version, plural);
        Query query = new Query(uri.getQueryParameters());
        WriteOptions options = writeOptions(query, headers);
        Warnings warnings = new Warnings();
        if (options.isDryRun() || body.length > Continuations.EVENT_LOOP_MAX_BYTES) {
            return Continuations.onWorker(() -> responses.respond(entry.views(), 201, entry.registry().creator().create(namespace,
                    decoder.object(contentType(headers), body), options, warnings).body(), headers, query, warnings));
        }
        Executor home = Continuations.home();
        var created = entry.registry().creator().createAsync(namespace, decoder.object(contentType(headers), body),
                options, warnings);
        // Mutiny unwraps the CompletionException around a failed stage: the mappers see the API error itself
        return Continuations.answered(created, home).map(written -> responses.respond(entry.views(), 201, written.body(),
                headers, query, warnings));
    }

    /** kube's create handler ignores a name in the path: the body names the object. */
    @POST
    @Path("namespaces/{namespace}/{plural}/{name}")
    public Uni<Response> createNamed(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("namespace") String namespace, @PathParam("plural") String plural, @Context UriInfo uri,
            @Context HttpHeaders headers, byte[] body) {
        return create(group, version, namespace, plural, uri, headers, body);
    }

    @DELETE
    @Path("namespaces/{namespace}/{plural}")
    public Response deleteCollection(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("namespace") String namespace, @PathParam("plural") String plural, @Context UriInfo uri,
            @Context HttpHeaders headers, byte[] body) {
        Registries.Entry entry = entry(group, version, plural);
        Query query = new Query(uri.getQueryParameters());
        ListOptions listOptions = query.listOptions();
        DeleteOptions options = deleteOptions(query, headers, body);
        return responses.ok(entry.views(), entry.deleter().deleteCollection(namespace, listOptions, options), headers,
                query, null);
    }

    @PUT
    @Path("namespaces/{namespace}/{plural}")
    public Response updateCollection(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("plural") String plural) {
        entry(group, version, plural);
        throw ApiException.badRequest("name must be provided");
    }

    @PATCH
    @Path("namespaces/{namespace}/{plural}")
    public Response patchCollection(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("plural") String plural) {
        return updateCollection(group, version, plural);
    }

    /**
     * Runs on the event loop: an answer the watch cache has now (resourceVersion "0" or one it has reached) is
     * written from here, saving the two thread hand-offs of a worker, which cost more than the lookup; a
     * consistent read of a small object is answered from its etcd read's completion. Anything else (a read
     * that waits for the cache, a large object) moves to a worker.
     */
    @GET
    @Path("namespaces/{namespace}/{plural}/{name}")
    public Uni<Response> get(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("namespace") String namespace, @PathParam("plural") String plural,
            @PathParam("name") String name, @Context UriInfo uri, @Context HttpHeaders headers) {
        Registries.Entry entry = entry(group, version, plural);
        Query query = new Query(uri.getQueryParameters());
        String resourceVersion = query.string("resourceVersion");
        Getter getter = entry.registry().getter();
        Optional<RawJson> now = getter.getNow(namespace, name, resourceVersion, Continuations.EVENT_LOOP_MAX_BYTES);
        if (now.isPresent()) {
            return Uni.createFrom().item(responses.ok(entry.views(), now.get(), headers, query, null));
        }
        Executor home = Continuations.home();
        Optional<CompletionStage<RawJson>> read = resourceVersion.isEmpty() ? getter.getAsync(namespace, name)
                : Optional.empty();
        if (read.isPresent()) {
            return Continuations.answered(read.get(), home).map(raw -> responses.ok(entry.views(), raw, headers,
                    query, null));
        }
        return Continuations.onWorker(() -> responses.ok(entry.views(), getter.get(namespace, name, resourceVersion), headers,
                query, null));
    }

    /**
     * Runs on a worker, as every write that may be retried (see {@link Continuations#onWorkers}), and waits on
     * no thread: the read and the write are asynchronous, each step after them resumes on a worker.
     */
    @PUT
    @Path("namespaces/{namespace}/{plural}/{name}")
    public Uni<Response> update(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("namespace") String namespace, @PathParam("plural") String plural,
            @PathParam("name") String name, @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        Registries.Entry entry = entry(group, version, plural);
        Query query = new Query(uri.getQueryParameters());
        WriteOptions options = writeOptions(query, headers);
        Warnings warnings = new Warnings();
        return Continuations.onWorkers(() -> decoder.object(contentType(headers), body), (object, offload) -> entry
                .registry().updater().updateAsync(namespace, name, object, options, warnings, offload))
                .map(written -> responses.ok(entry.views(), written.body(), headers, query, warnings));
    }

    /**
     * JSON and merge patches run as {@link #update} does, starting from the watch cache's copy (kube's
     * GuaranteedUpdate), and wait on no thread. Server-side apply runs on a worker, blocking.
     */
    @PATCH
    @Path("namespaces/{namespace}/{plural}/{name}")
    public Uni<Response> patch(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("namespace") String namespace, @PathParam("plural") String plural,
            @PathParam("name") String name, @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        Registries.Entry entry = entry(group, version, plural);
        Query query = new Query(uri.getQueryParameters());
        String mediaType = BodyDecoder.mediaType(contentType(headers));
        WriteOptions options = writeOptions(query, headers);
        Warnings warnings = new Warnings();
        if (mediaType.equals("application/apply-patch+yaml")) {
            return Continuations.onWorker(() -> {
                var applied = entry.registry().applier().apply(namespace, name, decoder.apply(body), options,
                        warnings);
                return responses.respond(entry.views(), applied.created() ? 201 : 200, applied.object(), headers,
                        query, warnings);
            });
        }
        ResourceRegistry.PatchType type = switch (mediaType) {
            case "application/json-patch+json" -> ResourceRegistry.PatchType.JSON_PATCH;
            case "application/merge-patch+json" -> ResourceRegistry.PatchType.MERGE_PATCH;
            default -> throw ApiException.unsupportedMediaType(
                    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        };
        decoder.checkSize(body.length);
        return Continuations.onWorkers(() -> decoder.patch(body), (patch, offload) -> entry.registry()
                .patchAsync(namespace, name, type, patch, options, warnings, offload))
                .map(written -> responses.ok(entry.views(), written.body(), headers, query, warnings));
    }

    @DELETE
    @Path("namespaces/{namespace}/{plural}/{name}")
    public Response delete(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("namespace") String namespace, @PathParam("plural") String plural,
            @PathParam("name") String name, @Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        Registries.Entry entry = entry(group, version, plural);
        Query query = new Query(uri.getQueryParameters());
        Deleter.Outcome outcome = entry.deleter().delete(namespace, name, deleteOptions(query, headers, body));
        return responses.respond(entry.views(), outcome.code(), outcome.body(), headers, query, null);
    }

    /** IPPool has no subresources: kube answers any of them with a NotFound Status for the object. */
    @Path("namespaces/{namespace}/{plural}/{name}/{subresource}")
    public Subresource subresource(@PathParam("group") String group, @PathParam("version") String version,
            @PathParam("plural") String plural, @PathParam("name") String name) {
        Registries.Entry entry = entry(group, version, plural);
        throw ApiException.notFound(entry.definition().groupResource(), name);
    }

    /** Never instantiated: the locator above always throws. */
    public static final class Subresource {
    }

    private Response list(Registries.Entry entry, String namespace, UriInfo uri, HttpHeaders headers) {
        Query query = new Query(uri.getQueryParameters());
        ListOptions options = query.listOptions();
        var result = entry.lister().list(namespace, options);
        return responses.ok(entry.views(), entry.lister().toListBytes(result), headers, query, null);
    }

    private DeleteOptions deleteOptions(Query query, HttpHeaders headers, byte[] body) {
        // kube reads the query only when the body is empty
        if (body == null || body.length == 0) {
            return query.deleteOptions();
        }
        return decoder.deleteOptions(contentType(headers), body);
    }

    private Registries.Entry entry(String group, String version, String plural) {
        return registries.find(group, version, plural).orElseThrow(NotFoundException::new);
    }

    private static WriteOptions writeOptions(Query query, HttpHeaders headers) {
        return query.writeOptions().withUserAgent(headers.getHeaderString(HttpHeaders.USER_AGENT));
    }

    private static String contentType(HttpHeaders headers) {
        return headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
    }
}
