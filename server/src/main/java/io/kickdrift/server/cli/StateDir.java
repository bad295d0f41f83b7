package io.kickdrift.server.cli;

import java.nio.file.Path;

/**
 * Where the server keeps its state (callback key, database) unless {@code --state} says: {@code
 * $KICKDRIFT_STATE}, else {@code $XDG_STATE_HOME/kickdrift}, else {@code ~/.local/state/kickdrift}.
 */
final class StateDir {
  private StateDir() {}

  static Path resolve(Path option) {
    if (option != null) {
      return option;
    }
    String env = System.getenv("KICKDRIFT_STATE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "kickdrift");
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "kickdrift");
  }
}
