package io.kickdrift.server.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How {@link Ssh} connects: the private keys it offers (OpenSSH format, unencrypted; and those of
 * the ssh-agent at {@code agentSocket}, first, when it is not {@code null}), the known_hosts file
 * every host key is checked against, whether a host seen for the first time has its key recorded
 * there ({@code acceptNew}; a changed key is never accepted), and the timeouts. The command timeout
 * is the default for callers; {@link Session#run} takes its own.
 */
public record SshSettings(
    List<Path> identities,
    Path knownHosts,
    boolean acceptNew,
    Duration connectTimeout,
    Duration authTimeout,
    Duration commandTimeout,
    Path agentSocket) {
  /** Key files only, no ssh-agent. */
  public SshSettings(
      List<Path> identities,
      Path knownHosts,
      boolean acceptNew,
      Duration connectTimeout,
      Duration authTimeout,
      Duration commandTimeout) {
    this(identities, knownHosts, acceptNew, connectTimeout, authTimeout, commandTimeout, null);
  }

  public SshSettings {
    identities = List.copyOf(identities);
    if (identities.isEmpty() && agentSocket == null) {
      throw new IllegalArgumentException(
          "no identity file and no ssh-agent: kickdrift authenticates by key only");
    }
    if (knownHosts == null) {
      throw new IllegalArgumentException("no known_hosts file");
    }
    positive("connect timeout", connectTimeout);
    positive("auth timeout", authTimeout);
    positive("command timeout", commandTimeout);
  }

  private static void positive(String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " " + d + "; expected more than zero");
    }
  }
}
