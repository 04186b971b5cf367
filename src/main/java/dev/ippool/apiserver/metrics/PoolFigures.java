package dev.ippool.apiserver.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ippool.apiserver.kinds.IPPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One pool's figures at one revision, read from its stored JSON by a streaming parser that skips what it does
 * not count: a pool of 65,536 allocations decoded into a tree was ~50 MB of garbage on every change, for four
 * numbers.
 *
 * @param labels namespace, pool (name) and range, the series' label values
 * @param capacity the range's capacity ({@link IPPool#capacity(String)}); null when the
 *                 range is missing or not a CIDR
 */
record PoolFigures(long modRevision, String name, List<String> labels, int used, Long capacity) {

    static PoolFigures read(JsonFactory json, byte[] stored, long modRevision) {
        String namespace = "";
        String name = "";
        String range = null;
        int used = 0;
        try (JsonParser p = json.createParser(stored)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value != JsonToken.START_OBJECT || !(field.equals("metadata") || field.equals("spec"))) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String inner = p.currentName();
                    JsonToken v = p.nextToken();
                    boolean text = v == JsonToken.VALUE_STRING;
                    if (field.equals("metadata") && inner.equals("name") && text) {
                        name = p.getText();
                    } else if (field.equals("metadata") && inner.equals("namespace") && text) {
                        namespace = p.getText();
                    } else if (field.equals("spec") && inner.equals("range") && text) {
                        range = p.getText();
                    } else if (field.equals("spec") && inner.equals("allocations") && v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            p.nextToken();
                            p.skipChildren();
                            used++;
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("stored object is not JSON", e);
        }
        Long capacity = range == null ? null : IPPool.capacity(range).orElse(null);
        return new PoolFigures(modRevision, name, List.of(namespace, name, range == null ? "" : range), used,
                capacity);
    }
}
