package io.kickdrift.agent.cli;

import io.kickdrift.agent.config.Config;
import io.kickdrift.agent.state.NoStateException;
import io.kickdrift.agent.state.StateDir;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code --state DIR}, for every command that keeps or reads state: the stat cache, the server's
 * database, keys and tokens. Without the flag, {@code state.dir} of the configuration ({@code
 * $KICKDRIFT_STATE_DIR}, the file), else {@link StateDir#byDefault()}.
 */
public final class StateOption {
  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "The state directory: stat cache, database, callback key, admin token, known_hosts"
              + " (default: state.dir of the configuration, else /var/lib/kickdrift as root,"
              + " else $XDG_STATE_HOME/kickdrift or ~/.local/state/kickdrift; docs/config.md).")
  Path given;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /** The directory the option or the configuration names, else the default one. */
  public StateDir dir() {
    return given != null ? new StateDir(given) : StateDir.byDefault();
  }

  /**
   * The directory, which must hold a server's state: for every command but those that make one
   * ({@code serve}, {@code init}).
   */
  public StateDir existing() throws NoStateException {
    return dir().existing(origin());
  }

  /** Where the directory came from: {@code --state}, {@code env VAR}, FILE:LINE or default. */
  public String origin() {
    if (given == null || mixee == null || mixee.commandLine() == null) {
      return given == null ? "default" : "--state";
    }
    // a mixin's spec (StateOptions holds this one) has the command's CommandLine, not its provider
    CommandLine command = mixee.commandLine();
    ParseResult parsed = command.getParseResult();
    if (parsed != null && parsed.hasMatchedOption("--state")) {
      return "--state";
    }
    return Config.of(command.getCommandSpec())
        .flatMap(c -> c.setting("state.dir"))
        .map(Config.Setting::origin)
        .orElse("--state");
  }
}
