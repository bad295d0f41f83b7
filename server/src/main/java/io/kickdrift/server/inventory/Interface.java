package io.kickdrift.server.inventory;

/**
 * A network interface of a host. The MAC is kept in lower-case colon form when it is in any
 * notation {@link Macs#normalise} accepts; a malformed one is kept as written and reported by
 * validation.
 */
public record Interface(String name, String mac, String ip) {
  public Interface {
    if (mac != null) {
      mac = Macs.normalise(mac).orElse(mac);
    }
  }
}
