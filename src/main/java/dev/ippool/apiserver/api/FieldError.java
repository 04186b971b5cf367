package dev.ippool.apiserver.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One {@code field.Error} of k8s.io/apimachinery: a path, a type and a detail, rendered exactly as Go renders
 * it ({@code spec.range: Invalid value: "x": detail}) because clients show these strings to users.
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

    /** The error types and their wire reason / human text. */
    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        TYPE_INVALID("FieldValueTypeInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value");

        final String reason;
        final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }
    }

    /** Marks a value that Go would print with {@code %#v} rather than {@code %q} (uint64 0 prints as 0x0). */
    public record GoLiteral(String rendered) {
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    public static FieldError notSupported(String field, Object value, List<String> supported) {
        String detail = supported.isEmpty() ? ""
                : "supported values: " + supported.stream().map(FieldError::quote).collect(Collectors.joining(", "));
        return new FieldError(Type.NOT_SUPPORTED, field, value, detail);
    }

    public static FieldError typeInvalid(String field, String actualType, String detail) {
        return new FieldError(Type.TYPE_INVALID, field, actualType, detail);
    }

    /** Go's {@code ErrorBody()}: required, forbidden and too-long never print the value. */
    public String body() {
        String s = switch (type) {
            case REQUIRED, FORBIDDEN, TOO_LONG -> type.text;
            default -> type.text + ": " + render(badValue);
        };
        return detail == null || detail.isEmpty() ? s : s + ": " + detail;
    }

    /** Go's {@code Error()}: {@code field: body}. */
    public String message() {
        return field + ": " + body();
    }

    public StatusCause toCause() {
        return new StatusCause(type.reason, body(), field);
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof GoLiteral literal) {
            return literal.rendered();
        }
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof List<?> list) {
            return goStringSlice(list);
        }
        return String.valueOf(value);
    }

    /** Go's {@code %#v} of a {@code []string}: {@code []string{"a", "b"}}. */
    public static String goStringSlice(List<?> values) {
        return "[]string{" + values.stream().map(o -> quote(String.valueOf(o))).collect(Collectors.joining(", "))
                + "}";
    }

    /** Go's {@code %q} for the strings we meet: escapes quotes, backslashes and control characters. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
