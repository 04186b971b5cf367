package dev.ippool.apiserver.http;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.DeleteOptions;
import dev.ippool.apiserver.api.ListOptions;
import dev.ippool.apiserver.api.WriteOptions;
import io.vertx.core.MultiMap;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Locale;

/**
 * Query parameters parsed once, with kube's conversions: booleans are false only when absent, {@code 0} or
 * {@code false} (any case) — {@code watch=} and {@code watch=True} are true — and numbers that do not parse are
 * a 400.
 */
public record Query(MultivaluedMap<String, String> params) {

    /** The query of a request served at the Vert.x level; throws IllegalArgumentException if it is malformed. */
    static Query of(MultiMap params) {
        MultivaluedHashMap<String, String> copy = new MultivaluedHashMap<>();
        params.forEach(e -> copy.add(e.getKey(), e.getValue()));
        return new Query(copy);
    }

    public String string(String name) {
        String v = params.getFirst(name);
        return v == null ? "" : v;
    }

    public boolean has(String name) {
        return params.containsKey(name);
    }

    /** {@code Convert_Slice_string_To_bool}. */
    public boolean bool(String name) {
        List<String> values = params.get(name);
        return values != null && !values.isEmpty() && kubeBool(values.get(0));
    }

    /** One value as kube reads a bool parameter: false only for {@code 0} or {@code false} (any case). */
    static boolean kubeBool(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        return !(v.equals("0") || v.equals("false"));
    }

    public Boolean optionalBool(String name) {
        return has(name) ? bool(name) : null;
    }

    public Long optionalLong(String name) {
        String v = params.getFirst(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("strconv.ParseInt: parsing " + dev.ippool.apiserver.api.FieldError.quote(v)
                    + ": invalid syntax");
        }
    }

    /** {@code pretty} is read with Go's strconv.ParseBool. */
    public Boolean pretty() {
        String v = params.getFirst("pretty");
        if (v == null || v.isEmpty()) {
            return null;
        }
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            default -> false;
        };
    }

    public ListOptions listOptions() {
        Long limit = optionalLong("limit");
        return new ListOptions(string("labelSelector"), string("fieldSelector"), string("resourceVersion"),
                string("resourceVersionMatch"), limit == null ? 0 : limit, string("continue"), bool("watch"),
                optionalBool("sendInitialEvents"), bool("allowWatchBookmarks"), optionalLong("timeoutSeconds"));
    }

    public WriteOptions writeOptions() {
        return new WriteOptions(values("dryRun"), string("fieldValidation"), string("fieldManager"),
                optionalBool("force"), null);
    }

    public DeleteOptions deleteOptions() {
        return new DeleteOptions(optionalLong("gracePeriodSeconds"), params.getFirst("preconditions.uid"),
                params.getFirst("preconditions.resourceVersion"), optionalBool("orphanDependents"),
                params.getFirst("propagationPolicy"), values("dryRun"));
    }

    private List<String> values(String name) {
        List<String> v = params.get(name);
        return v == null ? List.of() : List.copyOf(v);
    }
}
