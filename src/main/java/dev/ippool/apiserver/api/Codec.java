package dev.ippool.apiserver.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON as kube-apiserver writes a custom resource: Go maps, so object keys in sorted order; compact, or indented
 * by two spaces for {@code pretty}; a trailing newline. Sorted keys also make "did any byte change" a byte
 * comparison.
 */
public final class Codec {

    private final ObjectMapper json;
    private final ObjectMapper yaml;
    /** Built once: a writer per encode was a tenth of encoding a small object. */
    private final com.fasterxml.jackson.databind.ObjectWriter compactWriter;

    /**
     * Parser limits, so a small body cannot exhaust the stack or memory: nesting depth, string and number
     * lengths for JSON; the same plus alias count and document size for YAML (no "billion laughs").
     */
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder().maxNestingDepth(1000)
            .maxStringLength(4 * 1024 * 1024).maxNumberLength(1000).build();

    private static org.yaml.snakeyaml.LoaderOptions yamlLimits() {
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(1000);
        options.setCodePointLimit(4 * 1024 * 1024);
        options.setAllowDuplicateKeys(true);
        return options;
    }

    public Codec() {
        // no String.intern of member names: a pool's allocation offsets (and their f: paths in managedFields) are
        // tens of thousands of names seen once each, and interning them took more than half of parsing a large
        // pool (121 ms of it for 65,536 allocations here, 52 ms without); repeated names are still shared
        this.json = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                .disable(com.fasterxml.jackson.core.JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(LIMITS).build())
                .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true)
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                // Big-number allocation keys are strings, but numbers in unknown fields must round-trip too.
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.json.setNodeFactory(new SortedNodeFactory());
        this.compactWriter = json.writer();
        this.yaml = new ObjectMapper(YAMLFactory.builder()
                .loaderOptions(yamlLimits())
                .streamReadConstraints(LIMITS)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build())
                .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true)
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    public ObjectMapper mapper() {
        return json;
    }

    public ObjectMapper yamlMapper() {
        return yaml;
    }

    public ObjectNode newObject() {
        return json.createObjectNode();
    }

    /** Compact JSON plus the newline Go's json.Encoder appends. */
    public byte[] encode(Object value) {
        return encode(value, false);
    }

    public byte[] encode(Object value, boolean pretty) {
        // straight to UTF-8 bytes: a large pool is encoded once, not as a String, a concatenation and its bytes
        ByteArrayBuilder out = new ByteArrayBuilder(8192);
        try {
            (pretty ? json.writer(new GoPrettyPrinter()) : compactWriter).writeValue(out, value);
            out.write('\n');
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.release();
        }
    }

    /**
     * Objects keep their keys sorted as they are built (Go writes map keys sorted), so writing a tree never
     * re-sorts it: with {@code WRITE_PROPERTIES_SORTED} Jackson copies every object that is not a TreeMap into
     * one, per write — 65,536 small maps for a large pool. Exact decimals, so numbers round-trip unchanged.
     */
    private static final class SortedNodeFactory extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        SortedNodeFactory() {
            super(true);
        }

        @Override
        public ObjectNode objectNode() {
            return new ObjectNode(this, new java.util.TreeMap<>());
        }
    }

    public byte[] encodeYaml(Object value) {
        try {
            return yaml.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String compact(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses trusted bytes (from storage). */
    public ObjectNode decodeStored(byte[] bytes) {
        try {
            return (ObjectNode) json.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("stored object is not JSON", e);
        }
    }

    /**
     * Go's {@code json.MarshalIndent(v, "", "  ")}: {@code "key": value}, one array element per line, and
     * {@code {}} / {@code []} for empty containers (Jackson's default prints {@code { }}).
     */
    static final class GoPrettyPrinter extends DefaultPrettyPrinter {
        GoPrettyPrinter() {
            super(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withRootSeparator(""));
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            indentObjectsWith(indenter);
            indentArraysWith(indenter);
        }

        GoPrettyPrinter(GoPrettyPrinter base) {
            super(base);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new GoPrettyPrinter(this);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            if (!_objectIndenter.isInline()) {
                --_nesting;
            }
            if (nrOfEntries > 0) {
                _objectIndenter.writeIndentation(g, _nesting);
            }
            g.writeRaw('}');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (!_arrayIndenter.isInline()) {
                --_nesting;
            }
            if (nrOfValues > 0) {
                _arrayIndenter.writeIndentation(g, _nesting);
            }
            g.writeRaw(']');
        }
    }
}
