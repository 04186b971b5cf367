package dev.ippool.apiserver.registry;

import java.nio.charset.StandardCharsets;

/**
 * The wire form of a stored object without decoding it: storage holds the compact, key-sorted JSON a response
 * carries, minus {@code metadata.resourceVersion} (kube never stores it). Splicing the key's revision in at its
 * sorted place gives byte for byte what encoding the decoded object would. A byte scanner finds the place (it
 * only follows strings and nesting up to the end of {@code metadata}), since every cached GET, LIST item and
 * watch-less read pays for it.
 */
final class StoredJson {

    private static final byte[] METADATA = "metadata".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESOURCE_VERSION = "resourceVersion".getBytes(StandardCharsets.US_ASCII);

    private StoredJson() {
    }

    /**
     * {@code stored} with {@code "resourceVersion":"<revision>"} in its metadata; null if it is not as expected
     * (no metadata object, a resourceVersion already there, a non-ASCII or escaped metadata key, not JSON).
     */
    static byte[] withResourceVersion(byte[] stored, long revision) {
        try {
            return splice(stored, revision);
        } catch (ArrayIndexOutOfBoundsException e) {
            return null; // truncated: leave it to the decoder to say what is wrong
        }
    }

    private static byte[] splice(byte[] b, long revision) {
        int i = ws(b, 0);
        if (b[i] != '{') {
            return null;
        }
        i = ws(b, i + 1);
        while (b[i] == '"') {
            int keyEnd = stringEnd(b, i);
            boolean metadata = equals(b, i + 1, keyEnd, METADATA);
            i = ws(b, ws(b, keyEnd + 1) + 1); // past the colon
            if (metadata && b[i] == '{') {
                return inMetadata(b, i, revision);
            }
            i = ws(b, valueEnd(b, i));
            if (b[i] != ',') {
                return null;
            }
            i = ws(b, i + 1);
        }
        return null;
    }

    private static byte[] inMetadata(byte[] b, int open, long revision) {
        String field = "\"resourceVersion\":\"" + revision + "\"";
        int i = ws(b, open + 1);
        if (b[i] == '}') {
            return insert(b, i, field);
        }
        while (b[i] == '"') {
            int keyEnd = stringEnd(b, i);
            int order = compare(b, i + 1, keyEnd, RESOURCE_VERSION);
            if (order == Integer.MIN_VALUE || order == 0) {
                return null;
            }
            if (order > 0) {
                return insert(b, i, field + ",");
            }
            i = ws(b, valueEnd(b, ws(b, ws(b, keyEnd + 1) + 1)));
            if (b[i] == '}') {
                return insert(b, i, "," + field);
            }
            if (b[i] != ',') {
                return null;
            }
            i = ws(b, i + 1);
        }
        return null;
    }

    private static int ws(byte[] b, int i) {
        while (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
            i++;
        }
        return i;
    }

    /** The index of the closing quote of the string opening at {@code open}. */
    private static int stringEnd(byte[] b, int open) {
        int i = open + 1;
        while (b[i] != '"') {
            i += b[i] == '\\' ? 2 : 1;
        }
        return i;
    }

    /** The index just past the value starting at {@code i}. */
    private static int valueEnd(byte[] b, int i) {
        if (b[i] == '"') {
            return stringEnd(b, i) + 1;
        }
        if (b[i] == '{' || b[i] == '[') {
            int depth = 0;
            do {
                if (b[i] == '"') {
                    i = stringEnd(b, i);
                } else if (b[i] == '{' || b[i] == '[') {
                    depth++;
                } else if (b[i] == '}' || b[i] == ']') {
                    depth--;
                }
                i++;
            } while (depth > 0);
            return i;
        }
        while (b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n') {
            i++;
        }
        return i;
    }

    private static boolean equals(byte[] b, int from, int to, byte[] name) {
        return compare(b, from, to, name) == 0;
    }

    /** Compares the key bytes [from, to) with {@code name} as Java strings compare; MIN_VALUE if not plain ASCII. */
    private static int compare(byte[] b, int from, int to, byte[] name) {
        int n = Math.min(to - from, name.length);
        for (int k = 0; k < to - from; k++) {
            if (b[from + k] < 0x20 || b[from + k] == '\\') {
                return Integer.MIN_VALUE; // bytes >= 0x80 are negative: not ASCII
            }
        }
        for (int k = 0; k < n; k++) {
            if (b[from + k] != name[k]) {
                return b[from + k] - name[k];
            }
        }
        return (to - from) - name.length;
    }

    private static byte[] insert(byte[] stored, int at, String text) {
        byte[] middle = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[stored.length + middle.length];
        System.arraycopy(stored, 0, out, 0, at);
        System.arraycopy(middle, 0, out, at, middle.length);
        System.arraycopy(stored, at, out, at + middle.length, stored.length - at);
        return out;
    }
}
