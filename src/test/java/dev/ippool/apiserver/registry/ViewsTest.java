package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.kinds.IPPool;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Table rows, PartialObjectMetadata and kube's HumanDuration, without a server. */
class ViewsTest {

    private final Codec codec = new Codec();
    private final Views views = new Views(IPPool.definition(),
            Clock.fixed(Instant.parse("2026-01-01T01:00:00Z"), ZoneOffset.UTC));

    private JsonNode pool(String name, String range, int allocations) throws Exception {
        StringBuilder a = new StringBuilder();
        for (int i = 1; i <= allocations; i++) {
            a.append(i > 1 ? "," : "").append("\"").append(i).append("\":{\"id\":\"c\",\"podref\":\"ns/p\"}");
        }
        return codec.mapper().readTree("{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\","
                + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns\",\"uid\":\"u1\",\"resourceVersion\":"
                + "\"7\",\"generation\":1,\"creationTimestamp\":\"2026-01-01T00:55:00Z\",\"labels\":{\"a\":\"b\"}},"
                + "\"spec\":{\"range\":\"" + range + "\",\"allocations\":{" + a + "}}}");
    }

    private String encode(Object value) {
        return new String(codec.encode(value), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("kube's HumanDuration at every boundary")
    void humanDuration() {
        String[][] cases = {{"-2", "<invalid>"}, {"-1", "0s"}, {"0", "0s"}, {"119", "119s"}, {"120", "2m"},
            {"125", "2m5s"}, {"599", "9m59s"}, {"600", "10m"}, {"10799", "179m"}, {"10800", "3h"},
            {"11100", "3h5m"}, {"28800", "8h"}, {"172799", "47h"}, {"172800", "2d"}, {"180000", "2d2h"},
            {"691200", "8d"}, {"63071999", "729d"}, {"63072000", "2y"}, {"63158400", "2y1d"},
            {"252288000", "8y"}};
        for (String[] c : cases) {
            assertThat(Views.humanDuration(Duration.ofSeconds(Long.parseLong(c[0])))).as(c[0] + "s").isEqualTo(c[1]);
        }
    }

    @Test
    @DisplayName("a row: name, range, allocated, capacity, age, and the wide utilisation; <invalid> for a bad range")
    void rows() throws Exception {
        String table = encode(views.table(pool("a", "10.0.0.0/24", 3), Views.Include.NONE, "v1", false));
        assertThat(table).isEqualTo("{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":"
                + "{\"resourceVersion\":\"7\"},\"columnDefinitions\":null,\"rows\":[{\"cells\":[\"a\",\"10.0.0.0/24\",3,"
                + "254,\"5m\",\"1.2%\"],\"object\":null}]}\n");
        String invalid = encode(views.table(pool("b", "nope", 0), Views.Include.NONE, "v1", false));
        assertThat(invalid).contains("\"cells\":[\"b\",\"nope\",0,\"<invalid>\",\"5m\",\"<invalid>\"]");
    }

    @Test
    @DisplayName("columns: Name first (format name), then the kind's; Utilization only in wide (priority 1)")
    void columns() {
        assertThat(views.columns()).extracting(c -> c.name() + ":" + c.type() + ":" + c.priority()).containsExactly(
                "Name:string:0", "Range:string:0", "Allocated:integer:0", "Capacity:integer:0", "Age:date:0",
                "Utilization:string:1");
    }

    @Test
    @DisplayName("PartialObjectMetadata: ObjectMeta in Go field order")
    void partial() throws Exception {
        assertThat(encode(views.partial(pool("a", "10.0.0.0/24", 0), "v1"))).isEqualTo("{\"kind\":"
                + "\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"name\":\"a\","
                + "\"namespace\":\"ns\",\"uid\":\"u1\",\"resourceVersion\":\"7\",\"generation\":1,\"creationTimestamp\":"
                + "\"2026-01-01T00:55:00Z\",\"labels\":{\"a\":\"b\"}}}\n");
    }

    @Test
    @DisplayName("includeObject: None, Metadata (default), Object; anything else is 400")
    void include() {
        assertThat(Views.include(null)).isEqualTo(Views.Include.METADATA);
        assertThat(Views.include("None")).isEqualTo(Views.Include.NONE);
        assertThat(Views.include("Object")).isEqualTo(Views.Include.OBJECT);
        assertThatThrownBy(() -> Views.include("All")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status().code()).isEqualTo(400))
                .hasMessage("includeObject: Unsupported value: \"All\": supported values: \"Metadata\", \"None\","
                        + " \"Object\"");
    }
}
