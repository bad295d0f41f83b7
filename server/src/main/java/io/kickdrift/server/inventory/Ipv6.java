package io.kickdrift.server.inventory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IPv6 literals, checked without any name lookup. */
public final class Ipv6 {
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private Ipv6() {}

  /** Whether {@code text} is an IPv6 address literal (no zone id, no brackets). */
  public static boolean valid(String text) {
    return parse(text) != null;
  }

  /** The 32 hex digits of the address, for comparing; {@code null} when malformed. */
  public static String canonical(String text) {
    Inet6Address a = parse(text);
    return a == null ? null : java.util.HexFormat.of().formatHex(a.getAddress());
  }

  /** The address, or {@code null} when {@code text} is not an IPv6 literal. */
  public static Inet6Address parse(String text) {
    if (text == null || !text.contains(":") || !LITERAL.matcher(text).matches()) {
      return null;
    }
    try {
      // a literal of only hex digits, colons and dots never causes a lookup
      return InetAddress.getByName(text) instanceof Inet6Address a ? a : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
