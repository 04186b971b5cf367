package dev.ippool.apiserver.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An error that already knows its {@link Status}: the constructors mirror k8s.io/apimachinery's
 * {@code pkg/api/errors} so the code, reason, message and details match kube-apiserver's. The HTTP layer maps it
 * to a response in one place; anything else that escapes is a 500 and a bug.
 */
public final class ApiException extends RuntimeException {

    private final transient Status status;

    public ApiException(Status status) {
        super(status.message(), null, false, false);
        this.status = status;
    }

    public Status status() {
        return status;
    }

    public int code() {
        return status.code();
    }

    public static ApiException of(int code, String reason, String message) {
        return new ApiException(Status.failure(code, reason, message, null));
    }

    public static ApiException badRequest(String message) {
        return of(400, "BadRequest", message);
    }

    public static ApiException notFound(GroupResource resource, String name) {
        return new ApiException(Status.failure(404, "NotFound", resource + " " + FieldError.quote(name) + " not found",
                StatusDetails.of(name, resource.group(), resource.resource())));
    }

    public static ApiException alreadyExists(GroupResource resource, String name) {
        return new ApiException(Status.failure(409, "AlreadyExists",
                resource + " " + FieldError.quote(name) + " already exists",
                StatusDetails.of(name, resource.group(), resource.resource())));
    }

    public static ApiException conflict(GroupResource resource, String name, String why) {
        return new ApiException(Status.failure(409, "Conflict",
                "Operation cannot be fulfilled on " + resource + " " + FieldError.quote(name) + ": " + why,
                StatusDetails.of(name, resource.group(), resource.resource())));
    }

    /** {@code errors.NewInvalid}: one error prints plainly, several as {@code [e1, e2]}. */
    public static ApiException invalid(String qualifiedKind, String group, String kind, String name,
            List<FieldError> errors) {
        String joined = errors.stream().map(FieldError::message).collect(Collectors.joining(", "));
        String aggregate = errors.size() == 1 ? joined : "[" + joined + "]";
        String prefix = qualifiedKind + " " + FieldError.quote(name == null ? "" : name) + " is invalid: ";
        return new ApiException(Status.failure(422, "Invalid", prefix + aggregate,
                new StatusDetails(emptyToNull(name), emptyToNull(group), emptyToNull(kind), null,
                        errors.stream().map(FieldError::toCause).toList(), null)));
    }

    /** Invalid options, e.g. {@code ListOptions.meta.k8s.io "" is invalid: ...}. */
    public static ApiException invalidOptions(String optionsKind, List<FieldError> errors) {
        return invalid(optionsKind + ".meta.k8s.io", "meta.k8s.io", optionsKind, "", errors);
    }

    public static ApiException unsupportedMediaType(String accepted) {
        return of(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: " + accepted);
    }

    public static ApiException tooLarge(String message) {
        return of(413, "RequestEntityTooLarge", "Request entity too large: " + message);
    }

    /** etcd unreachable or slow: 500 ServerTimeout, as {@code storage.InterpretXxxError} does. */
    public static ApiException serverTimeout(GroupResource resource, String operation, int retryAfterSeconds) {
        return new ApiException(Status.failure(500, "ServerTimeout",
                "The " + operation + " operation against " + resource
                        + " could not be completed at this time, please try again.",
                StatusDetails.of(operation, resource.group(), resource.resource()).withRetryAfter(retryAfterSeconds)));
    }

    public static ApiException expired(String message) {
        return of(410, "Expired", message);
    }

    public static ApiException internal(String message) {
        return new ApiException(Status.failure(500, "InternalError", "Internal error occurred: " + message,
                StatusDetails.empty().withCauses(List.of(new StatusCause(null, message, null)))));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
