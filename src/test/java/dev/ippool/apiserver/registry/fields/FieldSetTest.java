package dev.ippool.apiserver.registry.fields;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FieldSetTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    @DisplayName("FieldsV1 round trip: leaves are {}, inner members carry \".\"")
    void fieldsV1() throws Exception {
        String v1 = "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:a\":{}}},\"f:spec\":{\"f:allocations\":{\"f:1\":"
                + "{\".\":{},\"f:id\":{}}},\"f:range\":{}}}";
        FieldSet set = FieldSet.fromFieldsV1(json.readTree(v1));
        assertThat(set.contains(List.of("f:metadata", "f:labels"))).isTrue();
        assertThat(set.contains(List.of("f:metadata"))).isFalse();
        assertThat(set.contains(List.of("f:spec", "f:allocations", "f:1"))).isTrue();
        assertThat(set.contains(List.of("f:spec", "f:allocations"))).isFalse();
        assertThat(set.toFieldsV1().toString()).isEqualTo(v1);
        assertThat(set.paths()).hasSize(5);
    }

    @Test
    @DisplayName("union, difference and intersection keep only members, pruning empty branches")
    void operations() {
        FieldSet a = FieldSet.of(List.of(List.of("f:spec", "f:range"), List.of("f:spec", "f:allocations", "f:1")));
        FieldSet b = FieldSet.of(List.of(List.of("f:spec", "f:range"), List.of("f:metadata", "f:labels", "f:x")));
        assertThat(a.union(b).paths()).hasSize(3);
        assertThat(a.intersection(b)).isEqualTo(FieldSet.of(List.of(List.of("f:spec", "f:range"))));
        assertThat(a.difference(b)).isEqualTo(FieldSet.of(List.of(List.of("f:spec", "f:allocations", "f:1"))));
        assertThat(a.difference(a).isEmpty()).isTrue();
        assertThat(a.difference(a).toFieldsV1().toString()).isEqualTo("{}");
    }

    @Test
    @DisplayName("paths render as fieldpath.Path.String(): fields, set values, map-list keys")
    void render() {
        assertThat(FieldSet.render(List.of("f:spec", "f:allocations", "f:1"))).isEqualTo(".spec.allocations.1");
        assertThat(FieldSet.render(List.of("f:metadata", "f:finalizers", "v:\"a/b\""))).isEqualTo(
                ".metadata.finalizers[=\"a/b\"]");
        assertThat(FieldSet.render(List.of("f:metadata", "f:ownerReferences", "k:{\"uid\":\"u1\"}", "f:name")))
                .isEqualTo(".metadata.ownerReferences[uid=\"u1\"].name");
    }
}
