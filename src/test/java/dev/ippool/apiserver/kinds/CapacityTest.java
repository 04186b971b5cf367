package dev.ippool.apiserver.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one capacity function the Table (and later the metrics) use. */
class CapacityTest {

    private static long capacity(String cidr) {
        return Cidr.parse(cidr).orElseThrow().capacity();
    }

    @Test
    @DisplayName("usable addresses: network and broadcast excluded; /31, /32, /127, /128 explicit; capped at 2^63-1")
    void capacities() {
        assertThat(capacity("10.0.0.0/24")).isEqualTo(254);
        assertThat(capacity("10.0.0.0/30")).isEqualTo(2);
        assertThat(capacity("10.0.0.0/31")).isEqualTo(2);
        assertThat(capacity("10.0.0.1/32")).isEqualTo(1);
        assertThat(capacity("10.0.0.0/8")).isEqualTo(16_777_214);
        assertThat(capacity("0.0.0.0/0")).isEqualTo(4_294_967_294L);
        assertThat(capacity("fd00::/120")).isEqualTo(254);
        assertThat(capacity("fd00::/127")).isEqualTo(2);
        assertThat(capacity("fd00::1/128")).isEqualTo(1);
        assertThat(capacity("fd00::/66")).isEqualTo((1L << 62) - 2);
        assertThat(capacity("fd00::/65")).isEqualTo(Long.MAX_VALUE);
        assertThat(capacity("fd00::/64")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    @DisplayName("an object whose range is missing or not a CIDR has no capacity")
    void invalidRanges() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(IPPool.capacity(json.readTree("{\"spec\":{\"range\":\"10.0.0.0/33\"}}"))).isEmpty();
        assertThat(IPPool.capacity(json.readTree("{\"spec\":{\"range\":\"pool\"}}"))).isEmpty();
        assertThat(IPPool.capacity(json.readTree("{\"spec\":{}}"))).isEmpty();
        assertThat(IPPool.capacity(json.readTree("{\"spec\":{\"range\":\"192.168.1.0/28\"}}"))).contains(14L);
    }
}
