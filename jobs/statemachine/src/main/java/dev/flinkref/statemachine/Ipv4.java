package dev.flinkref.statemachine;

/** IPv4 addresses as ints: compact in state and on the wire. */
public final class Ipv4 {
    private Ipv4() {}

    public static String format(int address) {
        return (address >>> 24)
                + "."
                + ((address >>> 16) & 0xff)
                + "."
                + ((address >>> 8) & 0xff)
                + "."
                + (address & 0xff);
    }

    /** Parses a dotted quad of decimal octets 0-255 (no leading zeros), or throws. */
    public static int parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 dotted quad: '" + text + "'");
        }
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty()
                    || part.length() > 3
                    || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not an IPv4 dotted quad: '" + text + "'");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 dotted quad: '" + text + "'");
            }
            address = (address << 8) | octet;
        }
        return address;
    }
}
