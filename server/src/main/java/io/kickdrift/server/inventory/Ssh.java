package io.kickdrift.server.inventory;

/** How the server reaches a host for drift scans; defaults root@host:22. */
public record Ssh(String user, int port) {
  public static final Ssh DEFAULT = new Ssh("root", 22);

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
  }
}
