package dev.ippool.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** B7's reading of a pool as the service answers it: its resourceVersion and its allocated offsets. */
class PoolScanTest {

    private static final String POOL = "{\"apiVersion\":\"whereabouts.cni.cncf.io/v1alpha1\",\"kind\":\"IPPool\","
            + "\"metadata\":{\"managedFields\":[{\"fieldsV1\":{\"f:spec\":{\"f:allocations\":{\"f:7\":{\"f:id\":{}}}}}}],"
            + "\"name\":\"p\",\"resourceVersion\":\"4711\",\"uid\":\"u\"},\"spec\":{\"allocations\":{"
            + "\"1\":{\"id\":\"a\",\"podref\":\"ns/a\"},\"12\":{\"id\":\"b\",\"podref\":\"ns/b\"},"
            + "\"300\":{\"id\":\"c\",\"ifname\":\"eth0\",\"podref\":\"ns/c\"}},\"range\":\"10.0.0.0/16\"}}";

    @Test
    @DisplayName("the offsets are the allocations' keys, not the managedFields' f: keys")
    void offsets() {
        assertThat(AllocationScenarios.offsets(POOL)).containsExactlyInAnyOrder(1, 12, 300);
        assertThat(AllocationScenarios.offsets(Http.pool("x", 256))).hasSize(256).contains(1, 256);
        assertThat(AllocationScenarios.offsets("{\"spec\":{\"allocations\":{}}}")).isEmpty();
    }

    @Test
    @DisplayName("the resourceVersion is the object's own; -1 when there is none")
    void resourceVersion() {
        assertThat(Http.resourceVersion(POOL)).isEqualTo(4711);
        assertThat(Http.resourceVersion("{\"kind\":\"Status\"}")).isEqualTo(-1);
        assertThat(Http.resourceVersion("{\"resourceVersion\":\"\"}")).isEqualTo(-1);
    }
}
