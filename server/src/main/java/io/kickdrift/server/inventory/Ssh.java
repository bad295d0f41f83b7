package io.kickdrift.server.inventory;

import java.util.regex.Pattern;

/**
 * How the server reaches a host for drift scans; defaults root@host:22.
 *
 * @param jump a jump host the connection goes through, {@code [user@]host[:port]} (as OpenSSH's
 *     {@code -J}); {@code null} for a direct connection
 */
public record Ssh(String user, int port, String jump) {
  public static final Ssh DEFAULT = new Ssh("root", 22);

  private static final Pattern JUMP =
      Pattern.compile("([A-Za-z0-9._-]+@)?([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

  public Ssh {
    if (user == null) {
      user = "root";
    }
    if (port == 0) {
      port = 22;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + "; expected 1 to 65535");
    }
    if (jump != null && !JUMP.matcher(jump).matches()) {
      throw new IllegalArgumentException(
          "jump '" + jump + "'; expected [user@]host[:port], e.g. admin@bastion.example.com:22");
    }
  }

  public Ssh(String user, int port) {
    this(user, port, null);
  }
}
