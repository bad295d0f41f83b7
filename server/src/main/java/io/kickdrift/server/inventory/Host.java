package io.kickdrift.server.inventory;

import java.util.List;
import java.util.Map;

/**
 * A machine. With netboot (default false: nothing reinstalls by accident) it gets its profile's
 * install menu; otherwise it boots its local disk.
 */
public record Host(
    String name,
    List<Interface> interfaces,
    String profile,
    boolean netboot,
    Map<String, String> variables,
    Ssh ssh) {
  public Host {
    interfaces = Copies.list(interfaces);
    variables = Copies.map(variables);
    if (ssh == null) {
      ssh = Ssh.DEFAULT;
    }
  }

  /** The same host with {@code netboot} as the server decided it (state, install window). */
  public Host withNetboot(boolean netboot) {
    return new Host(name, interfaces, profile, netboot, variables, ssh);
  }
}
