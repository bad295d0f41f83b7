package io.kickdrift.server.inventory;

import java.util.Optional;

/** Strict dotted-quad IPv4 addresses as unsigned 32-bit numbers, without name lookups. */
public final class Ipv4 {
  public static final long MALFORMED = -1;

  private Ipv4() {}

  /**
   * The address as a number, or {@link #MALFORMED}: four decimal octets of at most 255 with no
   * leading zero, dot-separated, nothing else (no name lookup, no octal, no shorthand).
   */
  public static long parse(String text) {
    if (text == null) {
      return MALFORMED;
    }
    int n = text.length();
    long value = 0;
    int i = 0;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (i >= n || text.charAt(i) != '.') {
          return MALFORMED;
        }
        i++;
      }
      int start = i;
      int v = 0;
      while (i < n && i - start < 4 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        v = v * 10 + (text.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && text.charAt(start) == '0')) {
        return MALFORMED;
      }
      value = value << 8 | v;
    }
    return i == n ? value : MALFORMED;
  }

  /** The dotted quad of {@code address}. */
  public static String format(long address) {
    return (address >>> 24 & 0xff)
        + "."
        + (address >>> 16 & 0xff)
        + "."
        + (address >>> 8 & 0xff)
        + "."
        + (address & 0xff);
  }

  /** A network in CIDR notation; the address must be the network's first address. */
  public record Cidr(long network, int prefix) {
    public static Optional<Cidr> parse(String text) {
      if (text == null) {
        return Optional.empty();
      }
      int slash = text.indexOf('/');
      if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,2}")) {
        return Optional.empty();
      }
      long address = Ipv4.parse(text.substring(0, slash));
      int prefix = Integer.parseInt(text.substring(slash + 1));
      if (address == MALFORMED || prefix > 32) {
        return Optional.empty();
      }
      Cidr cidr = new Cidr(address, prefix);
      return (address & cidr.mask()) == address ? Optional.of(cidr) : Optional.empty();
    }

    public long mask() {
      return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }

    public boolean contains(long address) {
      return address != MALFORMED && (address & mask()) == network;
    }
  }
}
