package io.kickdrift.server.inventory;

/**
 * A network interface of a host, with its IPv4 address and, for DNS records, an optional IPv6 one.
 * The MAC is kept in lower-case colon form when it is in any notation {@link Macs#normalise}
 * accepts; a malformed one is kept as written and reported by validation.
 */
public record Interface(String name, String mac, String ip, String ip6) {
  public Interface(String name, String mac, String ip) {
    this(name, mac, ip, null);
  }

  public Interface {
    if (mac != null) {
      mac = Macs.normalise(mac).orElse(mac);
    }
  }
}
