package dev.ippool.apiserver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PoolFiguresTest {

    private static PoolFigures read(String json) {
        return PoolFigures.read(new JsonFactory(), json.getBytes(StandardCharsets.UTF_8), 7);
    }

    @Test
    @DisplayName("name, namespace, range, allocations counted and capacity, whatever else the pool holds")
    void figures() {
        PoolFigures f = read("{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\",\"metadata\":"
                + "{\"managedFields\":[{\"fieldsV1\":{\"f:spec\":{\"f:allocations\":{\"f:1\":{},\"f:2\":{}}}}}],"
                + "\"name\":\"p\",\"namespace\":\"ns\",\"labels\":{\"name\":\"not-this\"}},\"spec\":{\"allocations\":"
                + "{\"1\":{\"id\":\"a\",\"podref\":\"x/a\",\"extra\":{\"name\":\"nested\"}},\"2\":{\"id\":\"b\","
                + "\"podref\":\"x/b\"}},\"range\":\"10.0.0.0/24\"},\"status\":{\"range\":\"not-this\"}}");
        assertThat(f.name()).isEqualTo("p");
        assertThat(f.labels()).containsExactly("ns", "p", "10.0.0.0/24");
        assertThat(f.used()).isEqualTo(2);
        assertThat(f.capacity()).isEqualTo(254L);
        assertThat(f.modRevision()).isEqualTo(7);
    }

    @Test
    @DisplayName("no range or a range that is not a CIDR: no capacity; no allocations: zero used")
    void noCapacity() {
        PoolFigures none = read("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{}}");
        assertThat(none.capacity()).isNull();
        assertThat(none.used()).isZero();
        assertThat(none.labels()).isEqualTo(List.of("ns", "p", ""));
        assertThat(read("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"range\":\"nope\"}}").capacity()).isNull();
    }
}
