package dev.ippool.apiserver.storage;

import java.util.List;

/**
 * The result of a range read.
 *
 * @param items     keys in byte order of the key
 * @param revision  the revision the read was served at (the store's header revision)
 * @param more      whether keys after the last one exist in the range
 * @param remaining how many keys of the range were not returned
 */
public record Page(List<KeyValue> items, long revision, boolean more, long remaining) {

    public Page {
        items = List.copyOf(items);
    }
}
