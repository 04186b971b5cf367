package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
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
        return respond(200, body, headers, query, warnings);
    }

    public Response respond(int code, Object body, HttpHeaders headers, Query query, Warnings warnings) {
        String type = negotiate(headers.getHeaderString(HttpHeaders.ACCEPT));
        byte[] bytes = type.equals(YAML) ? codec.encodeYaml(body) : codec.encode(body, pretty(headers, query));
        Response.ResponseBuilder builder = Response.status(code).entity(bytes).type(type);
        if (warnings != null) {
            warnings.messages().forEach(w -> builder.header("Warning", "299 - " + quoteWarning(w)));
        }
        return builder.build();
    }

    /** {@code negotiate.go isPrettyPrint}. */
    static boolean pretty(HttpHeaders headers, Query query) {
        Boolean explicit = query == null ? null : query.pretty();
        if (explicit != null) {
            return explicit;
        }
        String agent = headers == null ? null : headers.getHeaderString(HttpHeaders.USER_AGENT);
        return agent != null && (agent.startsWith("curl") || agent.startsWith("Wget") || agent.startsWith("Mozilla/5.0"));
    }

    /**
     * Picks JSON or YAML from an Accept header, by q-value then order. Transformations a later issue adds
     * ({@code as=Table}) are skipped so clients fall back to their plain-JSON alternative, as kubectl lists one.
     */
    static String negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        record Range(String type, double q, int order) {
        }
        List<Range> ranges = new ArrayList<>();
        String[] parts = accept.split(",");
        for (int i = 0; i < parts.length; i++) {
            String[] params = parts[i].split(";");
            String type = params[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            boolean transform = false;
            for (int j = 1; j < params.length; j++) {
                String p = params[j].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                } else if (p.startsWith("as=")) {
                    transform = true;
                }
            }
            if (!transform && q > 0) {
                ranges.add(new Range(type, q, i));
            }
        }
        ranges.sort(Comparator.comparingDouble((Range r) -> -r.q()).thenComparingInt(Range::order));
        for (Range r : ranges) {
            switch (r.type()) {
                case JSON, "application/*", "*/*", "*" -> {
                    return JSON;
                }
                case YAML -> {
                    return YAML;
                }
                default -> {
                }
            }
        }
        throw ApiException.of(406, "NotAcceptable",
                "only the following media types are accepted: application/json, application/yaml");
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
