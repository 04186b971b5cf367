package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.kinds.IPPool;
import dev.ippool.apiserver.registry.fields.FieldManager;
import dev.ippool.apiserver.registry.fields.Structure;
import dev.ippool.apiserver.storage.KeyValue;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A written object's tree is kept for the next write of its key, exactly as its stored bytes read back. */
class StoredFormsTest {

    private final Codec codec = new Codec();
    private final StoredForms forms = new StoredForms(codec);

    /** A pool of {@code size} allocations as the write path holds it before storing: with managedFields. */
    private ObjectNode written(int size) throws Exception {
        StringBuilder allocations = new StringBuilder();
        for (int i = 1; i <= size; i++) {
            allocations.append(i == 1 ? "" : ",").append("\"").append(i).append("\":{\"id\":\"container-").append(i)
                    .append("\",\"podref\":\"ns/pod-").append(i).append("\"}");
        }
        ObjectNode pool = (ObjectNode) codec.mapper().readTree("{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\","
                + "\"kind\":\"IPPool\",\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"resourceVersion\":\"41\","
                + "\"selfLink\":\"/x\",\"uid\":\"u\"},\"spec\":{\"range\":\"10.0.0.0/16\",\"allocations\":{"
                + allocations + "}}}");
        // as the write path sets it: a long, where a parse of the stored bytes gives an int
        ((ObjectNode) pool.get("metadata")).put("generation", 3L);
        new FieldManager(new Structure(IPPool.definition()), IPPool.definition().apiVersion())
                .update(null, pool, "whereabouts", Instant.parse("2026-01-01T00:00:00Z"));
        return pool;
    }

    @Test
    @DisplayName("after a write of a large pool the next write starts from its tree, which reads as its bytes do")
    void keptAsStored() throws Exception {
        ObjectNode object = written(256);
        byte[] bytes = forms.encode(object);
        assertThat(bytes.length).isGreaterThanOrEqualTo(TreeMemo.KEEP_BYTES);
        KeyValue kv = new KeyValue("/registry/p", bytes, 7, 42);
        forms.written(kv, object);
        ObjectNode kept = forms.shared(kv);
        assertThat(forms.shared(kv)).isSameAs(kept);
        // the JSON a parse of the stored bytes gives: resourceVersion the write's revision, no selfLink
        assertThat(codec.encode(kept)).isEqualTo(codec.encode(forms.decode(kv)));
        assertThat(kept.at("/metadata/resourceVersion").asText()).isEqualTo("42");
        assertThat(forms.encode(kept)).isEqualTo(bytes);
        // the spec is shared, not copied; root and metadata are the memo's own, so the caller may go on changing its
        // object (its response sets resourceVersion in place)
        assertThat(kept.get("spec")).isSameAs(object.get("spec"));
        ((ObjectNode) object.get("metadata")).put("resourceVersion", "99").put("name", "q");
        object.put("kind", "Other");
        assertThat(codec.encode(forms.shared(kv))).isEqualTo(codec.encode(forms.decode(kv)));
    }

    @Test
    @DisplayName("a small object is not kept: the next write parses its bytes")
    void smallParsed() throws Exception {
        ObjectNode object = written(1);
        byte[] bytes = forms.encode(object);
        KeyValue kv = new KeyValue("/registry/p", bytes, 7, 42);
        forms.written(kv, object);
        assertThat(forms.shared(kv).get("spec")).isNotSameAs(object.get("spec")).isEqualTo(object.get("spec"));
    }
}
