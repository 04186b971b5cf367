package dev.ippool.apiserver.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * {@code metav1.Status}: the body of every error and of a successful single-object DELETE. Field order is the
 * Go struct's, because clients and humans diff these bodies against kube-apiserver's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"kind", "apiVersion", "metadata", "status", "message", "reason", "details", "code"})
public record Status(String kind, String apiVersion, Map<String, Object> metadata, String status, String message,
        String reason, StatusDetails details, Integer code) {

    public static final String FAILURE = "Failure";
    public static final String SUCCESS = "Success";

    public static Status failure(int code, String reason, String message, StatusDetails details) {
        return new Status("Status", "v1", Map.of(), FAILURE, message, emptyToNull(reason), details, code);
    }

    public static Status success(StatusDetails details) {
        return new Status("Status", "v1", Map.of(), SUCCESS, null, null, details, null);
    }

    /** A Status whose list metadata carries a continue token (410 on a compacted continue). */
    public Status withContinue(String token) {
        return new Status(kind, apiVersion, Map.of("continue", token), status, message, reason, details, code);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
