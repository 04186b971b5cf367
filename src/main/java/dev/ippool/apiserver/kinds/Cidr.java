package dev.ippool.apiserver.kinds;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A CIDR as Go's {@code net.ParseCIDR} reads it (Whereabouts parses {@code spec.range} with it): an IPv4 or IPv6
 * literal, a slash, a prefix length. Never resolves names.
 *
 * @param address the address bytes (4 or 16)
 * @param prefix  the prefix length
 */
public record Cidr(byte[] address, int prefix) {

    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    public static Optional<Cidr> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            return Optional.empty();
        }
        String ip = text.substring(0, slash);
        String bits = text.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)
                || (bits.length() > 1 && bits.charAt(0) == '0')) {
            return Optional.empty();
        }
        int prefix = Integer.parseInt(bits);
        byte[] address;
        byte[] v4 = ipv4(ip);
        if (v4 != null) {
            address = v4;
        } else if (ip.contains(":") && IPV6_CHARS.matcher(ip).matches()) {
            address = literal(ip);
            // an IPv4-mapped literal parses to 4 bytes in Java; Go keeps it as IPv6
            if (address != null && address.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(address, 0, mapped, 12, 4);
                address = mapped;
            }
        } else {
            return Optional.empty();
        }
        if (address == null || prefix > address.length * 8) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(address, prefix));
    }

    /**
     * A dotted-quad IPv4 literal as Go reads it (four decimal parts of 0-255, no leading zeros), else null. By hand:
     * a regex match and {@code InetAddress} took 2 % of a small POST, which checks every pool's range.
     */
    static byte[] ipv4(String ip) {
        byte[] out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= ip.length(); i++) {
            char c = i < ip.length() ? ip.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && !(digits == 1 && value == 0) && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    private static byte[] literal(String ip) {
        try {
            // only ever called with a validated literal: getByName does no lookup for literals
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Addresses Whereabouts can hand out from this range: all but the first (network) and last (broadcast)
     * address; a /31 (/127) has 2 and a /32 (/128) 1, as point-to-point and host routes. Capped at 2^63 − 1 so
     * it fits the int64 of Table cells and metrics: no IPv6 pool comes near that many allocations.
     */
    public long capacity() {
        int hostBits = address.length * 8 - prefix;
        if (hostBits <= 1) {
            return hostBits + 1L;
        }
        if (hostBits >= 63) {
            return Long.MAX_VALUE;
        }
        return (1L << hostBits) - 2;
    }
}
