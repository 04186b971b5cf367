package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.kinds.IPPool;
import dev.ippool.apiserver.registry.fields.FieldManager;
import dev.ippool.apiserver.registry.fields.FieldsV1;
import dev.ippool.apiserver.registry.fields.Structure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Stored objects parse to the codec's tree, with managedFields' sets read straight into value nodes. */
class StoredTreeTest {

    private final Codec codec = new Codec();

    private byte[] stored() throws Exception {
        ObjectNode pool = (ObjectNode) codec.mapper().readTree("{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\","
                + "\"kind\":\"IPPool\",\"metadata\":{\"generation\":1,\"labels\":{\"a\":\"b\"},\"name\":\"p\","
                + "\"namespace\":\"ns\"},\"spec\":{\"allocations\":{\"1\":{\"id\":\"c\",\"podref\":\"ns/p\"}},"
                + "\"range\":\"10.0.0.0/24\"},\"x\":[1.50,12345678901234567890,null,true]}");
        new FieldManager(new Structure(IPPool.definition()), IPPool.definition().apiVersion())
                .update(null, pool, "kubectl", Instant.parse("2026-01-01T00:00:00Z"));
        return codec.encode(pool);
    }

    @Test
    @DisplayName("what this service stores parses with sets as value nodes, and writes back byte for byte")
    void setsAsNodes() throws Exception {
        byte[] bytes = stored();
        ObjectNode tree = StoredTree.parse(codec, bytes);
        assertThat(tree.at("/metadata/managedFields/0/fieldsV1").isPojo()).isTrue();
        assertThat(FieldsV1.read(tree.at("/metadata/managedFields/0/fieldsV1")))
                .isEqualTo(FieldsV1.read(codec.decodeStored(bytes).at("/metadata/managedFields/0/fieldsV1")));
        assertThat(codec.encode(tree)).isEqualTo(bytes);
        assertThat(tree.at("/x/0").decimalValue().toPlainString()).isEqualTo("1.50");
        assertThat(tree.at("/x/1").isBigInteger()).isTrue();
        assertThat(tree.at("/x/2").isNull()).isTrue();
    }

    @Test
    @DisplayName("anything else is the codec's plain parse: odd fieldsV1 stay JSON, other documents are unchanged")
    void otherShapesFallBack() throws Exception {
        String odd = new String(stored(), StandardCharsets.UTF_8).replace("\"fieldsV1\":{", "\"fieldsV1\":{\"f:n\":1,");
        byte[] bytes = odd.getBytes(StandardCharsets.UTF_8);
        ObjectNode tree = StoredTree.parse(codec, bytes);
        assertThat(tree.at("/metadata/managedFields/0/fieldsV1").isObject()).isTrue();
        assertThat(tree).isEqualTo(codec.decodeStored(bytes));
        byte[] plain = "{\"metadata\":{\"managedFields\":[1,{\"fieldsV1\":\"x\"}]},\"spec\":{}}\n"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(StoredTree.parse(codec, plain)).isEqualTo(codec.decodeStored(plain));
    }
}
