package dev.ippool.apiserver.storage;

import java.util.Objects;

/**
 * A range read under one prefix.
 *
 * @param prefix   every returned key starts with it; it ends with {@code /}
 * @param startKey first key to consider (inclusive); {@code null} means the start of the prefix
 * @param revision the revision to read at; {@code 0} means the latest
 * @param limit    at most this many keys; {@code 0} means no limit
 */
public record ListRequest(String prefix, String startKey, long revision, long limit) {

    public ListRequest {
        Objects.requireNonNull(prefix, "prefix should not be null");
        if (revision < 0 || limit < 0) {
            throw new IllegalArgumentException("revision and limit must not be negative");
        }
    }

    public static ListRequest all(String prefix) {
        return new ListRequest(prefix, null, 0, 0);
    }
}
