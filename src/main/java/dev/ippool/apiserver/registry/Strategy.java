package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.ResourceDefinition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Per-verb object rules for one resource, after kube's {@code customresource/strategy.go} and
 * {@code registry/rest}: decoding a request object, system metadata on create and update, the generation rule
 * and validation. Pure apart from the clock and the uid source.
 */
final class Strategy {

    /** How unknown and duplicate fields are reported, which differs between POST/PUT and PATCH. */
    enum Mode { BODY, PATCH }

    private final ResourceDefinition definition;
    private final Codec codec;
    private final Clock clock;
    /**
     * A strong generator per thread: UUID.randomUUID() takes the JVM's one shared NativePRNG, a lock and a read of
     * /dev/urandom per uid (1 % of a small POST). DRBG is as strong; kube draws uids from crypto/rand.
     */
    private final ThreadLocal<SecureRandom> random = ThreadLocal.withInitial(Strategy::drbg);

    Strategy(ResourceDefinition definition, Codec codec, Clock clock) {
        this.definition = definition;
        this.codec = codec;
        this.clock = clock;
    }

    /**
     * Checks apiVersion and kind, prunes unknown fields and applies {@code fieldValidation}. Returns the object
     * (pruned in place) with its schema errors; kind and schema errors are reported later with metadata ones.
     */
    Decoded decode(JsonNode value, List<String> duplicates, String fieldValidation, Mode mode, Warnings warnings) {
        return decode(value, duplicates, fieldValidation, mode, warnings, null);
    }

    /**
     * As above for a patched object: {@code unchanged} is the stored object the patch was applied to, whose
     * nodes the result shares where the patch did not write (see {@link SchemaCheck#apply}).
     */
    Decoded decode(JsonNode value, List<String> duplicates, String fieldValidation, Mode mode, Warnings warnings,
            ObjectNode unchanged) {
        if (!(value instanceof ObjectNode object)) {
            throw ApiException.badRequest(cannotHandle() + "json: cannot unmarshal " + SchemaCheck.typeOf(value)
                    + " into Go value of type map[string]interface {}");
        }
        // only a Strict patch error quotes the patched object: don't write a large pool out for nothing
        String patchedJson = mode == Mode.PATCH && "Strict".equals(fieldValidation) ? codec.compact(object) : null;
        JsonNode apiVersion = object.get("apiVersion");
        if (apiVersion == null || apiVersion.asText().isEmpty()) {
            object.put("apiVersion", definition.apiVersion());
        } else if (!apiVersion.asText().equals(definition.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion.asText()
                    + ") does not match the expected API version (" + definition.apiVersion() + ")");
        }
        if (object.get("kind") == null || object.get("kind").asText().isEmpty()) {
            object.put("kind", definition.kind());
        }
        JsonNode metadata = object.get("metadata");
        if (metadata == null || metadata.isNull()) {
            object.putObject("metadata");
        } else if (!metadata.isObject()) {
            throw ApiException.badRequest(cannotHandle() + "json: cannot unmarshal " + SchemaCheck.typeOf(metadata)
                    + " into Go struct field ObjectMeta.metadata of type v1.ObjectMeta");
        }
        String typeError = MetaRules.typeError((ObjectNode) object.get("metadata"));
        if (typeError != null) {
            throw ApiException.badRequest(cannotHandle() + typeError);
        }
        SchemaCheck.Result schema = SchemaCheck.apply(definition, object, unchanged);
        List<String> strict = new ArrayList<>();
        duplicates.forEach(d -> strict.add("duplicate field " + FieldError.quote(d)));
        schema.unknownFields().forEach(u -> strict.add("unknown field " + FieldError.quote(u)));
        if (!strict.isEmpty()) {
            switch (fieldValidation) {
                case "Strict" -> throw strictError(strict, mode, patchedJson);
                case "Ignore" -> {
                }
                default -> strict.forEach(warnings::add);
            }
        }
        return new Decoded(object, schema.errors());
    }

    /** An object decoded from a request, and its schema errors (reported together with the others). */
    record Decoded(ObjectNode object, List<FieldError> schemaErrors) {
        ObjectNode metadata() {
            return (ObjectNode) object.get("metadata");
        }
    }

    private ApiException strictError(List<String> problems, Mode mode, String patchedJson) {
        String detail = "strict decoding error: " + String.join(", ", problems);
        if (mode == Mode.BODY) {
            return ApiException.badRequest(cannotHandle() + detail);
        }
        // kube's jsonPatcher builds this with an empty GroupKind and name: the message starts with a space.
        return ApiException.invalid("", "", "", "", List.of(FieldError.invalid("patch", patchedJson, detail)));
    }

    private String cannotHandle() {
        return definition.kind() + " in version " + FieldError.quote(definition.version()) + " cannot be handled as a "
                + definition.kind() + ": ";
    }

    /** Fills system metadata of a new object: {@code WipeObjectMetaSystemFields} + {@code FillObjectMetaSystemFields}. */
    void prepareForCreate(ObjectNode metadata) {
        for (String field : List.of("creationTimestamp", "uid", "deletionTimestamp", "deletionGracePeriodSeconds",
                "selfLink", "generation")) {
            metadata.remove(field);
        }
        metadata.put("creationTimestamp", now());
        metadata.put("generation", 1);
        metadata.put("uid", uid());
    }

    /** {@code rest.BeforeUpdate} + the CR strategy's generation rule. */
    void prepareForUpdate(ObjectNode object, ObjectNode old) {
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        ObjectNode oldMeta = (ObjectNode) old.get("metadata");
        long generation = oldMeta.path("generation").asLong(0);
        if (specChanged(object, old)) {
            generation++;
        }
        metadata.put("generation", generation);
        if (MetaRules.text(metadata, "uid").isEmpty() && oldMeta.has("uid")) {
            metadata.set("uid", oldMeta.get("uid"));
        }
        copyIfPresent(oldMeta, metadata, "creationTimestamp");
        copyIfPresent(oldMeta, metadata, "deletionTimestamp");
        if (oldMeta.has("deletionGracePeriodSeconds") && !metadata.has("deletionGracePeriodSeconds")) {
            metadata.set("deletionGracePeriodSeconds", oldMeta.get("deletionGracePeriodSeconds"));
        }
        metadata.remove("selfLink");
    }

    /** Everything a create or update must pass, kind first, then metadata, then schema, as kube orders them. */
    List<FieldError> validate(Decoded decoded, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        String kind = decoded.object().path("kind").asText();
        if (!kind.equals(definition.kind())) {
            errs.add(FieldError.invalid("kind", kind, "must be " + definition.kind()));
        }
        errs.addAll(old == null ? MetaRules.validate(decoded.metadata())
                : MetaRules.validateUpdate(decoded.metadata(), (ObjectNode) old.get("metadata")));
        errs.addAll(decoded.schemaErrors());
        return errs;
    }

    ApiException invalid(String name, List<FieldError> errs) {
        return ApiException.invalid(definition.qualifiedKind(), definition.group(), definition.kind(), name, errs);
    }

    /** Marks an object as being deleted: what kube's {@code markAsDeleting} does when finalizers remain. */
    void markDeleting(ObjectNode object) {
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        metadata.put("deletionTimestamp", now());
        metadata.put("deletionGracePeriodSeconds", 0);
        metadata.put("generation", metadata.path("generation").asLong(0) + 1);
    }

    private static boolean specChanged(ObjectNode object, ObjectNode old) {
        for (ObjectNode[] pair : new ObjectNode[][] {{object, old}, {old, object}}) {
            Iterator<String> names = pair[0].fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!name.equals("metadata") && !Objects.equals(pair[0].get(name), pair[1].get(name))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void copyIfPresent(ObjectNode from, ObjectNode to, String field) {
        if (from.has(field)) {
            to.set(field, from.get(field));
        }
    }

    /** A random (version 4) UUID, as {@link UUID#randomUUID} makes one. */
    private String uid() {
        byte[] b = new byte[16];
        random.get().nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(b);
        return new UUID(bytes.getLong(), bytes.getLong()).toString();
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
