package io.kickdrift.server.inventory;

import java.util.List;

/** An IPv4 network the DHCP configs serve; range is null when every address is static. */
public record Subnet(
    String network,
    String router,
    List<String> dns,
    String domain,
    String nextServer,
    Range range) {
  public Subnet {
    dns = Copies.list(dns);
  }

  /** Whether {@code ip} (dotted quad) lies in this subnet; false if either is malformed. */
  public boolean contains(String ip) {
    return Ipv4.Cidr.parse(network).map(c -> c.contains(Ipv4.parse(ip))).orElse(false);
  }
}
