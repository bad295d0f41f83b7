package io.kickdrift.server.inventory;

import java.util.Optional;

/** MAC address notations: aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff, aabbccddeeff. */
final class Macs {
  private Macs() {}

  /**
   * The lower-case colon form, or empty if {@code mac} is in none of the notations: twelve hex
   * digits, alone or in pairs joined by one kind of separator (: or -), or in fours by dots. Read
   * by hand, not by a regular expression: every NIC of every host passes here at each load.
   */
  static Optional<String> normalise(String mac) {
    String m = mac.strip();
    char[] out = new char[17];
    int digits = 0;
    int group;
    char separator;
    switch (m.length()) {
      case 12 -> {
        group = 12;
        separator = 0;
      }
      case 14 -> {
        group = 4;
        separator = '.';
      }
      case 17 -> {
        group = 2;
        separator = m.charAt(2);
        if (separator != ':' && separator != '-') {
          return Optional.empty();
        }
      }
      default -> {
        return Optional.empty();
      }
    }
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      if ((i + 1) % (group + 1) == 0) {
        if (c != separator) {
          return Optional.empty();
        }
        continue;
      }
      int v = Character.digit(c, 16);
      if (v < 0 || c > 'f') {
        return Optional.empty(); // digit() takes non-ASCII digits and full-width letters too
      }
      int at = digits + digits / 2;
      if (digits > 0 && digits % 2 == 0) {
        out[at - 1] = ':';
      }
      out[at] = Character.forDigit(v, 16);
      digits++;
    }
    return Optional.of(new String(out));
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
