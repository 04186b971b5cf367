package dev.ippool.apiserver.storage;

import java.util.Optional;

/**
 * A single-key read: the key if present and the store revision the read observed.
 */
public record Snapshot(Optional<KeyValue> value, long revision) {
}
