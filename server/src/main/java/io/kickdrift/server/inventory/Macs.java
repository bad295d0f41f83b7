package io.kickdrift.server.inventory;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** MAC address notations: aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff, aabbccddeeff. */
final class Macs {
  private static final Pattern NOTATIONS =
      Pattern.compile(
          "[0-9a-f]{2}(:[0-9a-f]{2}){5}|[0-9a-f]{2}(-[0-9a-f]{2}){5}"
              + "|[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}|[0-9a-f]{12}");

  private Macs() {}

  /** The lower-case colon form, or empty if {@code mac} is in none of the notations. */
  static Optional<String> normalise(String mac) {
    String lower = mac.strip().toLowerCase(Locale.ROOT);
    if (!NOTATIONS.matcher(lower).matches()) {
      return Optional.empty();
    }
    String hex = lower.replaceAll("[:.-]", "");
    StringBuilder out = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        out.append(':');
      }
      out.append(hex, i, i + 2);
    }
    return Optional.of(out.toString());
  }

  /**
   * Why {@code mac} (lower-case colon form) cannot be a network interface's, or null: all zeros,
   * broadcast, or multicast (the group bit, the lowest of the first octet); DHCP answers them to no
   * one and dhcpd refuses some. Locally administered MACs (52:54:00:… of QEMU) are fine.
   */
  static String notUnicast(String mac) {
    if (mac.equals("00:00:00:00:00:00")) {
      return "the all-zero MAC";
    }
    if (mac.equals("ff:ff:ff:ff:ff:ff")) {
      return "the broadcast MAC";
    }
    if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
      return "a multicast MAC (the first octet is odd)";
    }
    return null;
  }
}
