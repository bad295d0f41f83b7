package io.kickdrift.agent.cli;

import io.kickdrift.agent.state.StateDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --state DIR}, for every command that keeps or reads state: the stat cache, the server's
 * database, keys and tokens. Where it points without the option is {@link StateDir}'s rule.
 */
public final class StateOption {
  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "The state directory: stat cache, database, callback key, admin token, known_hosts"
              + " (default $KICKDRIFT_STATE, else /var/lib/kickdrift as root, else"
              + " $XDG_STATE_HOME/kickdrift or ~/.local/state/kickdrift; docs/cli.md).")
  Path given;

  /** The directory the option names, else the one the rule gives. */
  public StateDir dir() {
    return StateDir.resolve(given);
  }
}
