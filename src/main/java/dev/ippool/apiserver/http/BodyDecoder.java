package dev.ippool.apiserver.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.DeleteOptions;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.registry.Body;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Request bodies: the size limit, the media type (JSON, or YAML as kube also accepts), and a tree builder that
 * records duplicate members instead of failing on them, since kube warns about those (or rejects them under
 * Strict).
 */
@Singleton
public class BodyDecoder {

    static final String ACCEPTED_BODY_TYPES = "application/json, application/yaml, application/vnd.kubernetes.protobuf";

    private final Codec codec;
    private final long maxBytes;

    public BodyDecoder(Codec codec, IppoolConfig config) {
        this.codec = codec;
        this.maxBytes = config.limits().maxBodyBytes();
    }

    /** A POST or PUT body; a missing Content-Type means JSON, as in kube. */
    public Body object(String contentType, byte[] bytes) {
        String type = mediaType(contentType);
        return switch (type) {
            case "", "application/json" -> parse(bytes, false);
            case "application/yaml" -> parse(bytes, true);
            default -> throw ApiException.unsupportedMediaType(ACCEPTED_BODY_TYPES);
        };
    }

    /** A PATCH body is JSON whatever its patch type. */
    public JsonNode patch(byte[] bytes) {
        return parse(bytes, false).value();
    }

    /** A server-side apply body: YAML (JSON is YAML too). */
    public Body apply(byte[] bytes) {
        try {
            return parse(bytes, true);
        } catch (ApiException e) {
            throw ApiException.badRequest("error decoding YAML: "
                    + e.getMessage().replaceFirst("^error converting YAML to JSON: ", ""));
        }
    }

    /** DeleteOptions from a non-empty body. */
    public DeleteOptions deleteOptions(String contentType, byte[] bytes) {
        JsonNode node = object(contentType, bytes).value();
        if (!node.isObject()) {
            throw ApiException.badRequest("json: cannot unmarshal " + node.getNodeType().name().toLowerCase(Locale.ROOT)
                    + " into Go value of type v1.DeleteOptions");
        }
        JsonNode pre = node.path("preconditions");
        List<String> dryRun = new ArrayList<>();
        node.path("dryRun").forEach(v -> dryRun.add(v.asText()));
        return new DeleteOptions(
                node.hasNonNull("gracePeriodSeconds") ? node.get("gracePeriodSeconds").asLong() : null,
                pre.hasNonNull("uid") ? pre.get("uid").asText() : null,
                pre.hasNonNull("resourceVersion") ? pre.get("resourceVersion").asText() : null,
                node.hasNonNull("orphanDependents") ? node.get("orphanDependents").asBoolean() : null,
                node.hasNonNull("propagationPolicy") ? node.get("propagationPolicy").asText() : null,
                dryRun);
    }

    /** 413 past the configured limit, with kube's text. */
    public void checkSize(long length) {
        if (length > maxBytes) {
            throw ApiException.tooLarge("limit is " + maxBytes);
        }
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private Body parse(byte[] bytes, boolean yaml) {
        checkSize(bytes.length);
        List<String> duplicates = new ArrayList<>();
        try (JsonParser parser = yaml ? codec.yamlMapper().getFactory().createParser(bytes)
                : codec.mapper().getFactory().createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw ApiException.badRequest(yaml ? "error converting YAML to JSON: empty document"
                        : "couldn't get version/kind; json parse error: unexpected end of JSON input");
            }
            JsonNode tree = read(parser, "", duplicates);
            if (!yaml && parser.nextToken() != null) {
                throw ApiException.badRequest("couldn't get version/kind; json parse error: invalid character after"
                        + " top-level value");
            }
            return new Body(tree, duplicates);
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw ApiException.badRequest(yaml ? "error converting YAML to JSON: " + message
                    : "couldn't get version/kind; json parse error: " + message);
        }
    }

    private static JsonNode read(JsonParser p, String path, List<String> duplicates) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
        switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String childPath = path.isEmpty() ? name : path + "." + name;
                    p.nextToken();
                    JsonNode child = read(p, childPath, duplicates);
                    if (object.has(name)) {
                        duplicates.add(childPath);
                    }
                    object.set(name, child);
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = f.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(p, path, duplicates));
                }
                return array;
            }
            case VALUE_STRING -> {
                return f.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> f.numberNode(p.getIntValue());
                    case LONG -> f.numberNode(p.getLongValue());
                    default -> f.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return f.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return f.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return f.booleanNode(false);
            }
            case VALUE_NULL -> {
                return f.nullNode();
            }
            default -> throw new IOException("unexpected token " + p.currentToken());
        }
    }
}
