package io.kickdrift.server.fleet;

import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.client.config.hosts.HostConfigEntry;

/**
 * An OpenSSH client config file ({@code ~/.ssh/config}) as a source of {@code HostName}, {@code
 * User}, {@code Port} and {@code ProxyJump} for inventory hosts, parsed by MINA. {@code Host}
 * patterns are matched against the inventory name, and as in OpenSSH the first value found for each
 * keyword wins. Values the inventory's {@code ssh:} section sets (a user other than root, a port
 * other than 22, a jump host) win over the file; an address from the file ({@code HostName}) wins
 * over the host's interface IP. Other keywords are ignored (keys come from {@code --identity} and
 * the agent; host keys from the one known_hosts file).
 */
public final class SshConfig {
  private final List<HostConfigEntry> entries;

  private SshConfig(List<HostConfigEntry> entries) {
    this.entries = entries;
  }

  /** No file: every host as the inventory says. */
  public static SshConfig none() {
    return new SshConfig(List.of());
  }

  public static SshConfig read(Path file) throws IOException {
    try {
      return new SshConfig(HostConfigEntry.readHostConfigEntries(file));
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": not a readable ssh config file: " + e.getMessage(), e);
    }
  }

  /** Where and as whom {@code h} is reached. */
  public SshTarget target(Host h) {
    String hostName = null;
    String user = null;
    int port = 0;
    String jump = null;
    for (HostConfigEntry e : HostConfigEntry.findMatchingEntries(h.name(), entries)) {
      if (hostName == null && e.getHostName() != null && !e.getHostName().isBlank()) {
        hostName = e.getHostName().replace("%h", h.name());
      }
      if (user == null && e.getUsername() != null && !e.getUsername().isBlank()) {
        user = e.getUsername();
      }
      if (port <= 0 && e.getPort() > 0) {
        port = e.getPort();
      }
      if (jump == null && e.getProxyJump() != null && !e.getProxyJump().isBlank()) {
        jump = e.getProxyJump();
      }
    }
    io.kickdrift.server.inventory.Ssh own = h.ssh();
    String address = hostName;
    if (address == null) {
      address = h.name();
      for (Interface i : h.interfaces()) {
        if (i.ip() != null && !i.ip().isBlank()) {
          address = i.ip();
          break;
        }
      }
    }
    String u = !"root".equals(own.user()) || user == null ? own.user() : user;
    int p = own.port() != 22 || port <= 0 ? own.port() : port;
    String j = own.jump() != null ? own.jump() : "none".equals(jump) ? null : jump;
    if (j != null && j.contains(",")) {
      throw new IllegalArgumentException(
          h.name() + ": ProxyJump " + j + ": chains of jump hosts are not supported");
    }
    return new SshTarget(h.name(), address, p, u, SshTarget.jump(h.name(), j));
  }
}
