package io.kickdrift.server.inventory;

import java.util.Optional;
import java.util.regex.Pattern;

/** Strict dotted-quad IPv4 addresses as unsigned 32-bit numbers, without name lookups. */
public final class Ipv4 {
  public static final long MALFORMED = -1;
  private static final Pattern QUAD =
      Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

  private Ipv4() {}

  /** The address as a number, or {@link #MALFORMED}. */
  public static long parse(String text) {
    if (text == null || !QUAD.matcher(text).matches()) {
      return MALFORMED;
    }
    long value = 0;
    for (String part : text.split("\\.")) {
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return MALFORMED;
      }
      value = value << 8 | octet;
    }
    return value;
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
