package dev.ippool.apiserver.registry.fields;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.kinds.IPPool;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The value-node form of a field set: written and read back exactly as the FieldsV1 tree it stands for. */
class FieldsV1Test {

    private static final String V1 = "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:a\":{}}},\"f:spec\":{"
            + "\"f:allocations\":{\"f:1\":{\".\":{},\"f:id\":{},\"f:podref\":{}},\"f:2\":{}},\"f:range\":{}}}";
    private final Codec codec = new Codec();

    private FieldSet set() throws Exception {
        return FieldsV1.read(codec.mapper().readTree(V1));
    }

    @Test
    @DisplayName("a node writes the bytes of the tree, compact and indented, and reads back as the same set")
    void nodeWritesTheTree() throws Exception {
        FieldSet set = set();
        ObjectNode holder = codec.newObject();
        holder.set("fieldsV1", FieldsV1.node(set));
        ObjectNode tree = codec.newObject();
        tree.set("fieldsV1", set.toFieldsV1());
        assertThat(new String(codec.encode(holder), StandardCharsets.UTF_8)).isEqualTo("{\"fieldsV1\":" + V1 + "}\n");
        assertThat(codec.encode(holder, true)).isEqualTo(codec.encode(tree, true));
        assertThat(codec.encodeYaml(holder)).isEqualTo(codec.encodeYaml(tree));
        assertThat(FieldsV1.read(holder.get("fieldsV1"))).isSameAs(set);
        assertThat(FieldsV1.node(set)).isEqualTo(FieldsV1.node(set()));
    }

    @Test
    @DisplayName("the streaming reader gives the tree reader's set, and null for anything but objects of objects")
    void streamingRead() throws Exception {
        assertThat(stream(V1)).isEqualTo(set());
        assertThat(stream("{}")).isEqualTo(FieldSet.EMPTY);
        assertThat(stream("{\".\":{},\"f:a\":{}}")).isEqualTo(FieldsV1.read(codec.mapper().readTree(
                "{\".\":{},\"f:a\":{}}")));
        assertThat(stream("{\"f:a\":1}")).isNull();
        assertThat(stream("{\"f:a\":{\"f:b\":[]}}")).isNull();
    }

    private FieldSet stream(String json) throws Exception {
        try (JsonParser p = codec.mapper().getFactory().createParser(json)) {
            p.nextToken();
            return FieldsV1.read(p);
        }
    }

    @Test
    @DisplayName("a write that changes nothing keeps the stored times, whichever form either side's sets are in")
    void noOpAcrossForms() throws Exception {
        FieldManager fields = new FieldManager(new Structure(IPPool.definition()), IPPool.definition().apiVersion());
        ObjectNode live = (ObjectNode) codec.mapper().readTree("{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\","
                + "\"kind\":\"IPPool\",\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"range\":"
                + "\"10.0.0.0/24\"}}");
        fields.update(null, live, "m", Instant.parse("2026-01-01T00:00:00Z"));
        // the stored form: sets as JSON trees, as a plain parse of the stored bytes gives them
        ObjectNode stored = codec.decodeStored(codec.encode(live));
        assertThat(stored.at("/metadata/managedFields/0/fieldsV1").isObject()).isTrue();
        // the client sends the managedFields back with another time: still nothing changed
        ObjectNode again = stored.deepCopy();
        ((ObjectNode) again.at("/metadata/managedFields/0")).put("time", "2026-01-01T00:30:00Z");
        fields.update(stored, again, "m", Instant.parse("2026-01-01T01:00:00Z"));
        assertThat(again.at("/metadata/managedFields/0/fieldsV1").isPojo()).isTrue();
        fields.keepTimestampsIfUnchanged(stored, again);
        assertThat(codec.encode(again)).isEqualTo(codec.encode(stored));
    }
}
