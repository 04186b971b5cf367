package dev.ippool.apiserver.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** {@code metav1.StatusDetails}; empty members are omitted as Go's {@code omitempty} does. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"name", "group", "kind", "uid", "causes", "retryAfterSeconds"})
public record StatusDetails(String name, String group, String kind, String uid, List<StatusCause> causes,
        Integer retryAfterSeconds) {

    public StatusDetails {
        causes = causes == null ? List.of() : List.copyOf(causes);
    }

    public static StatusDetails of(String name, String group, String kind) {
        return new StatusDetails(name, group, kind, null, List.of(), null);
    }

    public static StatusDetails empty() {
        return new StatusDetails(null, null, null, null, List.of(), null);
    }

    public StatusDetails withUid(String newUid) {
        return new StatusDetails(name, group, kind, newUid, causes, retryAfterSeconds);
    }

    public StatusDetails withCauses(List<StatusCause> newCauses) {
        return new StatusDetails(name, group, kind, uid, newCauses, retryAfterSeconds);
    }

    public StatusDetails withRetryAfter(int seconds) {
        return new StatusDetails(name, group, kind, uid, causes, seconds);
    }
}
