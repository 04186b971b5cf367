package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Patches leave the stored object as it was and share with it only what they did not write. */
class PatchesTest {

    private final Codec codec = new Codec();

    private static final String POOL = "{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\","
            + "\"metadata\":{\"labels\":{\"a\":\"1\"},\"name\":\"p\",\"namespace\":\"ns\",\"resourceVersion\":\"7\"},"
            + "\"spec\":{\"allocations\":{\"1\":{\"id\":\"c1\",\"podref\":\"ns/p1\"},\"2\":{\"id\":\"c2\","
            + "\"podref\":\"ns/p2\"}},\"list\":[{\"x\":1},{\"x\":2}],\"range\":\"10.0.0.0/24\"}}";

    private ObjectNode pool() {
        return codec.decodeStored(POOL.getBytes(StandardCharsets.UTF_8));
    }

    /** A request body, decoded as bodies are (not with the codec's sorted trees). */
    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private String text(JsonNode node) {
        return new String(codec.encode(node), StandardCharsets.UTF_8).trim();
    }

    @Test
    @DisplayName("Whereabouts' allocation patch: the pool is unchanged, untouched allocations are shared")
    void allocation() {
        ObjectNode pool = pool();
        String before = text(pool);
        JsonNode patched = Patches.applyJsonPatch(Patches.parseJsonPatch(json("[{\"op\":\"test\",\"path\":"
                + "\"/metadata/resourceVersion\",\"value\":\"7\"},{\"op\":\"test\",\"path\":\"/spec/allocations/3\","
                + "\"value\":null},{\"op\":\"add\",\"path\":\"/spec/allocations/3\",\"value\":{\"id\":\"c3\","
                + "\"podref\":\"ns/p3\"}}]")), pool);
        assertThat(text(pool)).isEqualTo(before);
        assertThat(patched.at("/spec/allocations/3/id").asText()).isEqualTo("c3");
        assertThat(patched.at("/spec/allocations").size()).isEqualTo(3);
        assertThat(patched.at("/spec/allocations/1")).isSameAs(pool.at("/spec/allocations/1"));
        assertThat(patched.at("/spec/list")).isSameAs(pool.at("/spec/list"));
        // the write path sets metadata fields in place: metadata is always the patch's own
        assertThat(patched.get("metadata")).isNotSameAs(pool.get("metadata")).isEqualTo(pool.get("metadata"));
    }

    @Test
    @DisplayName("move, copy, remove, replace in arrays and writes inside copied values never reach the original")
    void everyOperation() {
        ObjectNode pool = pool();
        String before = text(pool);
        JsonNode patched = Patches.applyJsonPatch(Patches.parseJsonPatch(json("["
                + "{\"op\":\"copy\",\"from\":\"/spec/allocations/1\",\"path\":\"/spec/allocations/9\"},"
                + "{\"op\":\"replace\",\"path\":\"/spec/allocations/9/id\",\"value\":\"c9\"},"
                + "{\"op\":\"move\",\"from\":\"/spec/allocations/2\",\"path\":\"/spec/moved\"},"
                + "{\"op\":\"add\",\"path\":\"/spec/moved/ifname\",\"value\":\"net1\"},"
                + "{\"op\":\"replace\",\"path\":\"/spec/list/1/x\",\"value\":5},"
                + "{\"op\":\"remove\",\"path\":\"/spec/list/0\"},"
                + "{\"op\":\"remove\",\"path\":\"/metadata/labels/a\"}]")), pool);
        assertThat(text(pool)).isEqualTo(before);
        assertThat(text(patched.get("spec"))).isEqualTo("{\"allocations\":{\"1\":{\"id\":\"c1\",\"podref\":"
                + "\"ns/p1\"},\"9\":{\"id\":\"c9\",\"podref\":\"ns/p1\"}},\"list\":[{\"x\":5}],\"moved\":{\"id\":\"c2\","
                + "\"ifname\":\"net1\",\"podref\":\"ns/p2\"},\"range\":\"10.0.0.0/24\"}");
        assertThat(patched.at("/metadata/labels").size()).isZero();
    }

    @Test
    @DisplayName("a patch that fails half-way leaves the original as it was, and is 422 Invalid")
    void failedHalfWay() {
        ObjectNode pool = pool();
        String before = text(pool);
        assertThatThrownBy(() -> Patches.applyJsonPatch(Patches.parseJsonPatch(json("["
                + "{\"op\":\"remove\",\"path\":\"/spec/allocations/1\"},"
                + "{\"op\":\"test\",\"path\":\"/spec/range\",\"value\":\"other\"}]")), pool))
                .isInstanceOf(ApiException.class).hasMessageContaining("the server rejected our request");
        assertThat(text(pool)).isEqualTo(before);
    }

    @Test
    @DisplayName("merge patch: the original is unchanged, what the patch does not reach is shared")
    void merge() {
        ObjectNode pool = pool();
        String before = text(pool);
        JsonNode patched = Patches.applyMergePatch(json("{\"spec\":{\"allocations\":{\"2\":null,"
                + "\"4\":{\"id\":\"c4\",\"podref\":\"ns/p4\"}}}}"), pool);
        assertThat(text(pool)).isEqualTo(before);
        assertThat(text(patched.at("/spec/allocations"))).isEqualTo("{\"1\":{\"id\":\"c1\",\"podref\":\"ns/p1\"},"
                + "\"4\":{\"id\":\"c4\",\"podref\":\"ns/p4\"}}");
        assertThat(patched.at("/spec/allocations/1")).isSameAs(pool.at("/spec/allocations/1"));
        assertThat(patched.get("metadata")).isNotSameAs(pool.get("metadata")).isEqualTo(pool.get("metadata"));
    }
}
