package io.kickdrift.server.render;

import java.util.List;

/**
 * One interface of a host as templates see it: {@code pxeName} is the {@code 01-aa-bb-…} file name
 * pxelinux and GRUB look up; the network fields come from the subnet holding the IP and are null
 * when the interface has none.
 */
public record NicModel(
    String name,
    String mac,
    String pxeName,
    String ip,
    String netmask,
    int prefix,
    String gateway,
    List<String> dns,
    String domain,
    String nextServer) {
  public NicModel {
    dns = dns == null ? List.of() : List.copyOf(dns);
  }

  /** Whether the interface has a static address. */
  public boolean isStatic() {
    return ip != null;
  }
}
