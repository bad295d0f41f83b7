package io.kickdrift.server.fleet;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;

/**
 * One host to reach over SSH: its inventory name (for messages), the address to connect to, the
 * port and the login user.
 */
public record SshTarget(String name, String address, int port, String user, SshTarget jump) {
  /** A host reached directly. */
  public SshTarget(String name, String address, int port, String user) {
    this(name, address, port, user, null);
  }

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
    return new SshTarget(
        h.name(), address, h.ssh().port(), h.ssh().user(), jump(h.name(), h.ssh().jump()));
  }

  /**
   * {@code [user@]host[:port]} as the jump host of {@code name}; user root, port 22 if not given.
   */
  static SshTarget jump(String name, String spec) {
    if (spec == null) {
      return null;
    }
    String user = "root";
    String rest = spec;
    int at = rest.indexOf('@');
    if (at >= 0) {
      user = rest.substring(0, at);
      rest = rest.substring(at + 1);
    }
    int port = 22;
    String host = rest;
    if (rest.startsWith("[")) {
      int end = rest.indexOf(']');
      host = rest.substring(1, end);
      if (rest.length() > end + 1) {
        port = Integer.parseInt(rest.substring(end + 2));
      }
    } else if (rest.indexOf(':') >= 0) {
      host = rest.substring(0, rest.indexOf(':'));
      port = Integer.parseInt(rest.substring(rest.indexOf(':') + 1));
    }
    return new SshTarget("jump host of " + name, host, port, user);
  }

  /** How messages name the host: {@code web01 (10.0.0.5:22)}. */
  @Override
  public String toString() {
    String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    return name + " (" + host + ":" + port + (jump == null ? "" : " via " + jump.hostPort()) + ")";
  }

  private String hostPort() {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }

  /** The host as known_hosts names it: {@code address} on port 22, else {@code [address]:port}. */
  String knownHostsName() {
    return port == 22 ? address : "[" + address + "]:" + port;
  }
}
