package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippool.apiserver.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * kube's continue token: base64url (no padding) of {@code {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}},
 * where the key is relative to the list's prefix. Clients treat it as opaque; keeping kube's form keeps tokens
 * readable by the same tools.
 *
 * @param revision the list's revision; -1 means "continue at the latest revision"
 * @param startKey the first key to read, relative to the prefix
 */
record ContinueToken(long revision, String startKey) {

    /** The token that continues after {@code lastKey} (relative). */
    static String encode(ObjectMapper mapper, long revision, String lastRelativeKey) {
        // Go's struct order (v, rv, start), not the sorted keys of the service's own trees
        var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("v", "meta.k8s.io/v1").put("rv", revision)
                .put("start", lastRelativeKey + "\u0000");
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    static ContinueToken decode(ObjectMapper mapper, String token) {
        JsonNode node;
        try {
            node = mapper.readTree(Base64.getUrlDecoder().decode(token));
        } catch (Exception e) {
            throw invalid(e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw invalid("json: cannot unmarshal into continueToken");
        }
        if (!"meta.k8s.io/v1".equals(node.path("v").asText())) {
            throw invalid("incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
        String start = node.path("start").asText("");
        if (start.isEmpty()) {
            throw invalid("encoded start key empty");
        }
        // kube path-cleans the key so a token cannot walk out of the list's prefix
        String path = start.startsWith("/") ? start : "/" + start;
        if (path.contains("/../") || path.endsWith("/..") || path.contains("/./") || path.contains("//")) {
            throw invalid("cleaned key " + dev.ippool.apiserver.api.FieldError.quote(path.replaceAll("/+", "/"))
                    + " differs from original " + dev.ippool.apiserver.api.FieldError.quote(path));
        }
        return new ContinueToken(node.path("rv").asLong(0), start.startsWith("/") ? start.substring(1) : start);
    }

    private static ApiException invalid(String why) {
        return ApiException.badRequest("invalid continue token: continue key is not valid: " + why);
    }
}
