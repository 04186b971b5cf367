package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.api.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of watch events: one JSON object {@code {"type":...,"object":...}} and a newline each, as kube's
 * JSON framer writes them.
 */
final class WatchFrames {

    private final Codec codec;
    private final ResourceDefinition definition;

    WatchFrames(Codec codec, ResourceDefinition definition) {
        this.codec = codec;
        this.definition = definition;
    }

    byte[] event(String type, ObjectNode object) {
        return frame(type, codec.encode(object));
    }

    byte[] error(Status status) {
        return frame("ERROR", codec.encode(status));
    }

    /** A bookmark: only the resourceVersion, but with apiVersion and kind, which client-go checks. */
    byte[] bookmark(long revision, boolean initialEventsEnd) {
        ObjectNode object = codec.newObject();
        object.put("apiVersion", definition.apiVersion());
        object.put("kind", definition.kind());
        ObjectNode metadata = object.putObject("metadata");
        if (initialEventsEnd) {
            metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
        }
        metadata.put("resourceVersion", Long.toString(revision));
        return event("BOOKMARK", object);
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
