package dev.ippool.apiserver.registry.fields;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.kinds.IPPool;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Ownership rules of managedFields and server-side apply, on plain objects (no server). */
class FieldManagerTest {

    private static final String GV = "whereabouts.cni.cncf.io/v1alpha1";
    private final Codec codec = new Codec();
    private final Structure structure = new Structure(IPPool.definition());
    private final FieldManager fields = new FieldManager(structure, GV);
    private final Instant t1 = Instant.parse("2026-01-01T00:00:00.5Z");
    private final Instant t2 = Instant.parse("2026-01-01T00:01:00Z");

    private ObjectNode obj(String spec) throws Exception {
        return (ObjectNode) codec.mapper().readTree("{\"apiVersion\":\"" + GV + "\",\"kind\":\"IPPool\",\"metadata\":"
                + "{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":" + spec + "}");
    }

    private static String managed(JsonNode object) {
        return object.path("metadata").path("managedFields").toString();
    }

    private static String entry(String manager, String operation, String time, String fieldsV1) {
        return "{\"apiVersion\":\"" + GV + "\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":" + fieldsV1 + ",\"manager\":\""
                + manager + "\",\"operation\":\"" + operation + "\",\"time\":\"" + time + "\"}";
    }

    @Test
    @DisplayName("ToFieldSet: declared fields are not members themselves, map entries are")
    void fieldSetRules() throws Exception {
        FieldSet set = structure.fieldSet(obj("{\"range\":\"10.0.0.0/24\",\"allocations\":{\"1\":{\"id\":\"a\","
                + "\"podref\":\"x/y\"}}}"));
        assertThat(set.difference(FieldManager.STRIPPED).toFieldsV1().toString()).isEqualTo("{\"f:spec\":"
                + "{\"f:allocations\":{\"f:1\":{\".\":{},\"f:id\":{},\"f:podref\":{}}},\"f:range\":{}}}");
    }

    @Test
    @DisplayName("create as Update: the manager owns every field it set, new nodes included (\".\"), time to the s")
    void createRecordsUpdate() throws Exception {
        ObjectNode created = obj("{\"range\":\"10.0.0.0/24\",\"allocations\":{}}");
        fields.update(null, created, "kubectl-create", t1);
        assertThat(managed(created)).isEqualTo("[" + entry("kubectl-create", "Update", "2026-01-01T00:00:00Z",
                "{\"f:spec\":{\".\":{},\"f:allocations\":{},\"f:range\":{}}}") + "]");
    }

    @Test
    @DisplayName("an Update takes the fields it changes from other managers; unchanged ones stay shared")
    void updateTakesChangedFields() throws Exception {
        ObjectNode v1 = obj("{\"range\":\"10.0.0.0/24\",\"allocations\":{}}");
        fields.update(null, v1, "a", t1);
        ObjectNode v2 = v1.deepCopy();
        ((ObjectNode) v2.get("spec")).put("range", "10.9.0.0/24");
        fields.update(v1, v2, "b", t2);
        assertThat(managed(v2)).isEqualTo("[" + entry("a", "Update", "2026-01-01T00:00:00Z",
                "{\"f:spec\":{\".\":{},\"f:allocations\":{}}}") + "," + entry("b", "Update", "2026-01-01T00:01:00Z",
                "{\"f:spec\":{\"f:range\":{}}}") + "]");
        ObjectNode same = v2.deepCopy();
        fields.update(v2, same, "c", t2);
        assertThat(managed(same)).isEqualTo(managed(v2));
    }

    @Test
    @DisplayName("apply conflicts: 409 naming each field and owner; force takes them; same value is shared")
    void applyConflicts() throws Exception {
        ObjectNode live = obj("{\"range\":\"10.0.0.0/24\",\"allocations\":{}}");
        fields.update(null, live, "kubectl-edit", t1);
        ApiException e = catchThrowableOfType(() -> fields.apply(live, obj("{\"range\":\"10.1.0.0/24\"}"), "ops",
                false, t2), ApiException.class);
        assertThat(e.status().code()).isEqualTo(409);
        assertThat(e.status().reason()).isEqualTo("Conflict");
        assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using " + GV
                + ": .spec.range");
        assertThat(e.status().details().causes()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo("FieldManagerConflict");
            assertThat(c.message()).isEqualTo("conflict with \"kubectl-edit\" using " + GV);
            assertThat(c.field()).isEqualTo(".spec.range");
        });

        ObjectNode withAllocation = obj("{\"range\":\"10.0.0.0/24\",\"allocations\":{\"1\":{\"id\":\"a\","
                + "\"podref\":\"x/y\"}}}");
        fields.update(null, withAllocation, "kubectl-edit", t1);
        ApiException two = catchThrowableOfType(() -> fields.apply(withAllocation, obj("{\"range\":\"10.1.0.0/24\","
                + "\"allocations\":{\"1\":{\"id\":\"b\",\"podref\":\"x/y\"}}}"), "ops", false, t2),
                ApiException.class);
        assertThat(two.getMessage()).isEqualTo("Apply failed with 2 conflicts: conflicts with \"kubectl-edit\" using "
                + GV + ":\n- .spec.allocations.1.id\n- .spec.range");
        assertThat(two.status().details().causes()).extracting(c -> c.field())
                .containsExactly(".spec.allocations.1.id", ".spec.range");

        ObjectNode forced = fields.apply(live, obj("{\"range\":\"10.1.0.0/24\"}"), "ops", true, t2);
        assertThat(forced.path("spec").path("range").asText()).isEqualTo("10.1.0.0/24");
        assertThat(managed(forced)).contains("\"manager\":\"ops\",\"operation\":\"Apply\"")
                .contains("{\"f:spec\":{\".\":{},\"f:allocations\":{}}}");

        ObjectNode shared = fields.apply(live, obj("{\"range\":\"10.0.0.0/24\"}"), "ops", false, t2);
        assertThat(managed(shared)).contains("{\"f:spec\":{\"f:range\":{}}}").contains("\"f:range\":{}}},\"manager\":"
                + "\"kubectl-edit\"");
    }

    @Test
    @DisplayName("allocations are owned per key: two appliers coexist; dropping a key removes only that entry")
    void perKeyOwnership() throws Exception {
        ObjectNode live = obj("{\"range\":\"10.0.0.0/24\",\"allocations\":{}}");
        fields.update(null, live, "admin", t1);
        ObjectNode a = fields.apply(live, obj("{\"allocations\":{\"1\":{\"id\":\"a\",\"podref\":\"x/a\"}}}"), "node-a",
                false, t2);
        ObjectNode ab = fields.apply(a, obj("{\"allocations\":{\"2\":{\"id\":\"b\",\"podref\":\"x/b\"}}}"), "node-b",
                false, t2);
        assertThat(ab.path("spec").path("allocations").fieldNames()).toIterable().containsExactly("1", "2");
        ObjectNode released = fields.apply(ab, obj("{\"allocations\":{}}"), "node-a", false, t2);
        assertThat(released.path("spec").path("allocations").fieldNames()).toIterable().containsExactly("2");
        assertThat(released.path("spec").path("range").asText()).isEqualTo("10.0.0.0/24");
    }

    @Test
    @DisplayName("the first apply to an object without managedFields keeps the rest under before-first-apply")
    void beforeFirstApply() throws Exception {
        ObjectNode live = obj("{\"range\":\"10.0.0.0/24\",\"allocations\":{}}");
        ObjectNode applied = fields.apply(live, obj("{\"allocations\":{\"1\":{\"id\":\"a\",\"podref\":\"x/a\"}}}"),
                "ops", false, t2);
        assertThat(managed(applied)).contains("\"manager\":\"before-first-apply\",\"operation\":\"Update\"");
    }

    @Test
    @DisplayName("a write that only moves a managedFields time keeps the old managedFields (a no-op write)")
    void timestampsOnly() throws Exception {
        ObjectNode live = obj("{\"range\":\"10.0.0.0/24\",\"allocations\":{}}");
        ObjectNode first = fields.apply(live, obj("{\"range\":\"10.0.0.0/24\"}"), "ops", false, t1);
        ObjectNode again = fields.apply(first, obj("{\"range\":\"10.0.0.0/24\"}"), "ops", false, t2);
        assertThat(managed(again)).isNotEqualTo(managed(first));
        fields.keepTimestampsIfUnchanged(first, again);
        assertThat(new String(codec.encode(again), StandardCharsets.UTF_8))
                .isEqualTo(new String(codec.encode(first), StandardCharsets.UTF_8));
    }
}
