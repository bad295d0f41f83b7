package io.kickdrift.server.fleet;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;

/**
 * One host to reach over SSH: its inventory name (for messages), the address to connect to, the
 * port and the login user.
 */
public record SshTarget(String name, String address, int port, String user) {
  public SshTarget {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("ssh target without a name");
    }
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException(name + ": no address to connect to");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + ": port " + port + "; expected 1 to 65535");
    }
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException(name + ": no ssh user");
    }
  }

  /**
   * An inventory host: its {@code ssh} user and port, at the IP of its first interface that has
   * one, else at its name (resolved by DNS).
   */
  public static SshTarget of(Host h) {
    String address = h.name();
    for (Interface i : h.interfaces()) {
      if (i.ip() != null && !i.ip().isBlank()) {
        address = i.ip();
        break;
      }
    }
    return new SshTarget(h.name(), address, h.ssh().port(), h.ssh().user());
  }

  /** How messages name the host: {@code web01 (10.0.0.5:22)}. */
  @Override
  public String toString() {
    String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    return name + " (" + host + ":" + port + ")";
  }

  /** The host as known_hosts names it: {@code address} on port 22, else {@code [address]:port}. */
  String knownHostsName() {
    return port == 22 ? address : "[" + address + "]:" + port;
  }
}
