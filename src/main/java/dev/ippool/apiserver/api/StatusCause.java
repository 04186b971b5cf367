package dev.ippool.apiserver.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code metav1.StatusCause}: the JSON names are reason, message, field. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"reason", "message", "field"})
public record StatusCause(String reason, String message, String field) {
}
