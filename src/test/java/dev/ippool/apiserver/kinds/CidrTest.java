package dev.ippool.apiserver.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CidrTest {

    /** Go's IPv4 literal (net.ParseIP since Go 1.17: no leading zeros), as a regex: the oracle. */
    private static final Pattern GO_IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    @Test
    @DisplayName("the hand-written IPv4 reader accepts exactly Go's literals, with their bytes")
    void ipv4LikeGo() throws Exception {
        List<String> cases = new ArrayList<>(List.of("10.0.0.0", "0.0.0.0", "255.255.255.255", "192.168.1.1",
                "256.0.0.1", "01.2.3.4", "1.2.3.04", "1.2.3", "1.2.3.4.5", "1..3.4", ".1.2.3", "1.2.3.", "",
                "1.2.3.4a", "a.b.c.d", "1.2.3.0400", "00.0.0.0", "1.2.3.-4", "1.2.3.+4", "9.99.199.249", "1.2.3.260"));
        Random random = new Random(42);
        String alphabet = "0123456789012345678901234567890123456789a-";
        for (int i = 0; i < 20_000; i++) {
            // mostly four parts of up to three digits, so a good share are literals and the rest near misses
            StringBuilder b = new StringBuilder();
            int parts = 3 + random.nextInt(3) / 2 + random.nextInt(3) / 2;
            for (int p = 0; p < parts; p++) {
                b.append(p == 0 ? "" : ".");
                for (int n = random.nextInt(5) > 0 ? 1 + random.nextInt(3) : random.nextInt(5); n > 0; n--) {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            cases.add(b.toString());
        }
        int accepted = 0;
        for (String ip : cases) {
            byte[] bytes = Cidr.ipv4(ip);
            if (GO_IPV4.matcher(ip).matches()) {
                accepted++;
                assertThat(bytes).as(ip).isEqualTo(InetAddress.getByName(ip).getAddress());
            } else {
                assertThat(bytes).as(ip).isNull();
            }
        }
        assertThat(accepted).isGreaterThan(1_000);
    }

    @Test
    @DisplayName("CIDRs parse as Go's net.ParseCIDR: prefix within the family, IPv4-mapped IPv6 stays IPv6")
    void cidrs() {
        assertThat(Cidr.parse("10.0.0.0/24")).hasValueSatisfying(c -> assertThat(c.prefix()).isEqualTo(24));
        assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
        assertThat(Cidr.parse("010.0.0.0/8")).isEmpty();
        assertThat(Cidr.parse("10.0.0.0")).isEmpty();
        assertThat(Cidr.parse("fd00::/64")).hasValueSatisfying(c -> assertThat(c.address()).hasSize(16));
        assertThat(Cidr.parse("::ffff:10.0.0.0/120")).hasValueSatisfying(c -> assertThat(c.address()).hasSize(16));
        assertThat(Cidr.parse("example.com/24")).isEmpty();
    }
}
