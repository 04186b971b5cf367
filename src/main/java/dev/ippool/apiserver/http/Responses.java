package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.RawJson;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.registry.Views;
import dev.ippool.apiserver.registry.Warnings;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Writes bodies as kube-apiserver does: content negotiation between JSON and YAML (protobuf-only is 406),
 * {@code pretty} (explicit, or implied by a curl/Wget/browser User-Agent), the trailing newline, and one
 * {@code Warning: 299 - "..."} header per warning.
 */
@Singleton
public class Responses {

    static final String JSON = "application/json";
    static final String YAML = "application/yaml";

    private final Codec codec;

    public Responses(Codec codec) {
        this.codec = codec;
    }

    public Response ok(Object body, HttpHeaders headers, Query query, Warnings warnings) {
        return respond(null, 200, body, headers, query, warnings);
    }

    public Response ok(Views views, Object body, HttpHeaders headers, Query query, Warnings warnings) {
        return respond(views, 200, body, headers, query, warnings);
    }

    /**
     * Writes {@code body} in the negotiated media type; with {@code views}, an object or list the client asked
     * to see {@code as=Table} or {@code as=PartialObjectMetadata[List]} is transformed first. A Status never is.
     */
    public Response respond(Views views, int code, Object body, HttpHeaders headers, Query query,
            Warnings warnings) {
        Target target = negotiate(headers.getHeaderString(HttpHeaders.ACCEPT));
        boolean pretty = pretty(headers, query);
        byte[] bytes;
        if (body instanceof RawJson raw && target.as() == null && !pretty && !target.mediaType().equals(YAML)) {
            bytes = raw.bytes();
        } else {
            Object tree = body instanceof RawJson raw ? codec.decodeStored(raw.bytes()) : body;
            Object out = views != null && tree instanceof JsonNode node ? target.transform(views, node, query) : tree;
            bytes = target.mediaType().equals(YAML) ? codec.encodeYaml(out) : codec.encode(out, pretty);
        }
        Response.ResponseBuilder builder = Response.status(code).entity(bytes).type(target.mediaType());
        if (warnings != null) {
            warnings.messages().forEach(w -> builder.header("Warning", warning(w)));
        }
        return builder.build();
    }

    /** {@code negotiate.go isPrettyPrint}. */
    static boolean pretty(HttpHeaders headers, Query query) {
        return pretty(headers == null ? null : headers.getHeaderString(HttpHeaders.USER_AGENT), query);
    }

    static boolean pretty(String agent, Query query) {
        Boolean explicit = query == null ? null : query.pretty();
        if (explicit != null) {
            return explicit;
        }
        return agent != null && (agent.startsWith("curl") || agent.startsWith("Wget") || agent.startsWith("Mozilla/5.0"));
    }

    /**
     * Whether a request with these headers and query is answered in plain JSON, the stored bytes as they are (no
     * YAML, view or {@code pretty}): what the Vert.x routes serve. Throws the 406 of an Accept nothing matches.
     */
    static boolean plainJson(io.vertx.core.MultiMap headers, Query query) {
        Target target = negotiate(headers.get("Accept"));
        return target.as() == null && target.mediaType().equals(JSON) && !pretty(headers.get("User-Agent"), query);
    }

    /**
     * What the client asked for: JSON or YAML, and possibly a {@code meta.k8s.io} view of the object (kube's
     * negotiation with {@code AllowsMediaTypeTransform}). Ranges are tried by q-value then order; protobuf and
     * unknown transformations are skipped, so a client listing protobuf first gets its JSON alternative.
     */
    public record Target(String mediaType, String as, String metaVersion) {

        Object transform(Views views, JsonNode body, Query query) {
            if (as == null) {
                return body;
            }
            boolean list = Views.isList(body);
            return switch (as) {
                case "Table" -> views.table(body, Views.include(query.string("includeObject")), metaVersion, true);
                case "PartialObjectMetadata" -> {
                    if (list) {
                        throw notAcceptable("you requested PartialObjectMetadata, but the requested object is a"
                                + " list (*unstructured.UnstructuredList)");
                    }
                    yield views.partial(body, metaVersion);
                }
                default -> {
                    if (!list) {
                        throw notAcceptable("you requested PartialObjectMetadataList, but the requested object is"
                                + " not a list (*unstructured.Unstructured)");
                    }
                    yield views.partialList(body, metaVersion);
                }
            };
        }
    }

    private static ApiException notAcceptable(String message) {
        return ApiException.of(406, "NotAcceptable", message);
    }

    static Target negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return new Target(JSON, null, null);
        }
        record Range(Target target, double q, int order) {
        }
        List<Range> ranges = new ArrayList<>();
        String[] parts = accept.split(",");
        for (int i = 0; i < parts.length; i++) {
            String[] params = parts[i].split(";");
            String type = params[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            String as = null;
            String g = null;
            String v = null;
            for (int j = 1; j < params.length; j++) {
                String[] kv = params[j].trim().split("=", 2);
                String value = kv.length == 2 ? kv[1].trim() : "";
                switch (kv[0].trim()) {
                    case "q" -> q = parseQ(value);
                    case "as" -> as = value;
                    case "g" -> g = value;
                    case "v" -> v = value;
                    default -> {
                    }
                }
            }
            String media = switch (type) {
                case JSON, "application/*", "*/*", "*" -> JSON;
                case YAML -> YAML;
                default -> null;
            };
            boolean viewOk = as == null || ("meta.k8s.io".equals(g) && ("v1".equals(v) || "v1beta1".equals(v))
                    && VIEWS.contains(as));
            if (media != null && viewOk && q > 0) {
                ranges.add(new Range(new Target(media, as, as == null ? null : v), q, i));
            }
        }
        ranges.sort(Comparator.comparingDouble((Range r) -> -r.q()).thenComparingInt(Range::order));
        if (ranges.isEmpty()) {
            throw notAcceptable("only the following media types are accepted: application/json, application/yaml");
        }
        return ranges.get(0).target();
    }

    private static final List<String> VIEWS = List.of("Table", "PartialObjectMetadata", "PartialObjectMetadataList");

    private static double parseQ(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One {@code Warning} header's value, as kube's warning recorder writes it. */
    static String warning(String message) {
        return "299 - " + quoteWarning(message);
    }

    /** {@code net.NewWarningHeader}: the text as a quoted string, escaping quotes and backslashes. */
    static String quoteWarning(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c < 0x20 ? ' ' : c);
        }
        return b.append('"').toString();
    }
}
