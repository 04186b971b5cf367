package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Splicing resourceVersion into stored bytes gives exactly what decoding, setting it and encoding would. */
class StoredJsonTest {

    private final Codec codec = new Codec();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"apiVersion\":\"v\",\"kind\":\"K\",\"metadata\":{\"name\":\"a\",\"namespace\":\"n\",\"uid\":\"u\"},\"spec\":{}}",
        "{\"apiVersion\":\"v\",\"kind\":\"K\",\"metadata\":{},\"spec\":{\"metadata\":{\"x\":1}}}",
        "{\"metadata\":{\"annotations\":{\"resourceVersion\":\"9\",\"z\":\"}\\\"\"},\"name\":\"a\"},\"spec\":{\"a\":[1,{}]}}",
        "{\"a\":{\"metadata\":{\"uid\":\"x\"}},\"metadata\":{\"labels\":{\"uid\":\"1\"},\"selfLinq\":\"s\",\"uid\":\"ü\"}}",
        "{\"kind\":\"K\",\"metadata\":{\"managedFields\":[{\"f\":{\"resourceVersion\":{}}}],\"name\":\"é\"}}",
        "{\"a\":[1,true,null,-2.5e3,\"x]}\"],\"b\":{\"c\":{}},\"metadata\":{\"generation\":12,\"labels\":{\"k\":\"v\"}},\"z\":0}",
        "{\"metadata\":{\"annotations\":{\"a\\\\\":\"x\\\"}\"},\"namespace\":\"n\"}}",
    })
    void spliceMatchesEncode(String stored) {
        byte[] bytes = codec.encode(codec.decodeStored(stored.getBytes(StandardCharsets.UTF_8)));
        ObjectNode expected = codec.decodeStored(bytes);
        ((ObjectNode) expected.get("metadata")).put("resourceVersion", "12345");
        byte[] spliced = StoredJson.withResourceVersion(bytes, 12345);
        assertThat(new String(spliced, StandardCharsets.UTF_8))
                .isEqualTo(new String(codec.encode(expected), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"metadata\":{\"resourceVersion\":\"1\"}}", "{\"spec\":{}}", "[1]",
        "{\"metadata\":[]}", "{\"metadata\":{\"na", "", "{\"metadata\":{\"é\":1}}", "{\"metadata\":{\"a\\\"b\":1}}"})
    void unexpectedShapesAreLeftToTheDecoder(String stored) {
        assertThat(StoredJson.withResourceVersion(stored.getBytes(StandardCharsets.UTF_8), 1)).isNull();
    }
}
