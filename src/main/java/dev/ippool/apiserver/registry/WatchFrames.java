package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.api.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The bytes of watch events: one JSON object {@code {"type":...,"object":...}} and a newline each, as kube's
 * JSON framer writes them.
 */
final class WatchFrames {

    private final Codec codec;
    private final ResourceDefinition definition;
    private final String listBlueprint;

    WatchFrames(Codec codec, ResourceDefinition definition) {
        this.codec = codec;
        this.definition = definition;
        // kube 1.32's watchListTransformer: an empty list of the kind, as its JSON encoder writes an
        // UnstructuredList (sorted keys, no metadata, trailing newline), base64-encoded
        ObjectNode emptyList = codec.newObject();
        emptyList.put("apiVersion", definition.apiVersion());
        emptyList.putArray("items");
        emptyList.put("kind", definition.listKind());
        this.listBlueprint = Base64.getEncoder().encodeToString(codec.encode(emptyList));
    }

    byte[] event(String type, Object object) {
        return frame(type, codec.encode(object));
    }

    byte[] error(Status status) {
        return frame("ERROR", codec.encode(status));
    }

    /**
     * A bookmark: only the resourceVersion, but with apiVersion and kind, which client-go checks. The one that
     * ends a watch-list's initial events is annotated as 1.32 does; client-go's watch-list refuses it without
     * the list blueprint.
     */
    ObjectNode bookmark(long revision, boolean initialEventsEnd) {
        ObjectNode object = codec.newObject();
        object.put("apiVersion", definition.apiVersion());
        object.put("kind", definition.kind());
        ObjectNode metadata = object.putObject("metadata");
        if (initialEventsEnd) {
            metadata.putObject("annotations").put("k8s.io/initial-events-end", "true")
                    .put("kubernetes.io/initial-events-list-blueprint", listBlueprint);
        }
        metadata.put("resourceVersion", Long.toString(revision));
        return object;
    }

    /** {@code encoded} ends with a newline, which the frame moves after the closing brace. */
    private static byte[] frame(String type, byte[] encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 32);
        out.writeBytes(("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.UTF_8));
        out.write(encoded, 0, encoded.length - 1);
        out.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
