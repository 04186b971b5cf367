package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.kinds.IPPool;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Validation of a patched object checks what the patch wrote, not the stored nodes it shares. */
class SchemaCheckTest {

    private final Codec codec = new Codec();

    private ObjectNode stored() throws Exception {
        // allocation 1 breaks the schema (id not a string, no podref): as if stored before a stricter schema
        return (ObjectNode) codec.mapper().readTree("{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\","
                + "\"kind\":\"IPPool\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"range\":\"10.0.0.0/24\","
                + "\"allocations\":{\"1\":{\"id\":12345}}}}");
    }

    /** A patch adding allocation 2 (with an unknown field), sharing everything else with {@code stored}. */
    private ObjectNode patched(ObjectNode stored) throws Exception {
        ObjectNode object = Writable.shallow(stored);
        ObjectNode spec = Writable.shallow((ObjectNode) stored.get("spec"));
        ObjectNode allocations = Writable.shallow((ObjectNode) spec.get("allocations"));
        allocations.set("2", codec.mapper().readTree("{\"id\":\"c\",\"podref\":\"ns/p\",\"x\":1}"));
        spec.set("allocations", allocations);
        object.set("spec", spec);
        return object;
    }

    @Test
    @DisplayName("shared stored nodes are not checked again (kube ratchets unchanged values); new ones are")
    void ratchetsSharedNodes() throws Exception {
        ObjectNode stored = stored();
        ObjectNode object = patched(stored);
        SchemaCheck.Result result = SchemaCheck.apply(IPPool.definition(), object, stored);
        assertThat(result.errors()).isEmpty();
        assertThat(result.unknownFields()).containsExactly("spec.allocations.2.x");
        assertThat(object.at("/spec/allocations/2").has("x")).isFalse();
        assertThat(stored).isEqualTo(stored());
    }

    @Test
    @DisplayName("the same values as copies, or with nothing to compare with, are checked in full")
    void copiesAreChecked() throws Exception {
        ObjectNode stored = stored();
        // parsed again: equal values, none of them the stored nodes (a deep copy shares the scalars, and so does
        // a parse for the small numbers Jackson keeps one node of; 12345 is not one)
        ObjectNode object = (ObjectNode) codec.mapper().readTree(codec.encode(patched(stored)));
        for (ObjectNode unchanged : new ObjectNode[] {stored, null}) {
            SchemaCheck.Result result = SchemaCheck.apply(IPPool.definition(), object.deepCopy(), unchanged);
            assertThat(result.errors()).extracting(FieldError::field)
                    .containsExactlyInAnyOrder("spec.allocations.1.id", "spec.allocations.1.podref");
        }
    }
}
