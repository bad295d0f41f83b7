package io.kickdrift.server.manual;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The configuration key and environment variable of an option, as issue 19's shared decision names
 * them: {@code <subcommand path without the root, dots>.<long name>}, except the options many
 * commands share, which have one top-level key.
 *
 * <p>Seam: io.kickdrift.agent.config (the config helper's work) owns this rule; once it is merged,
 * {@link #of} should ask it instead of applying the rule here, so the pages cannot disagree with
 * what the commands read.
 */
record ConfigKey(String key) {
  private static final Map<String, String> SHARED =
      Map.of(
          "--state", "state.dir",
          "--inventory", "inventory",
          "--templates", "templates",
          "--log-format", "log.format",
          "--log-level", "log.level",
          "--secret-rules", "secret-rules",
          "--agent-cache", "fleet.agent-cache",
          "--config", "");

  /** None for help and version options and for the options that name the config itself. */
  static Optional<ConfigKey> of(OptionSpec option) {
    if (option.usageHelp() || option.versionHelp()) {
      return Optional.empty();
    }
    String name = option.longestName();
    if (!name.startsWith("--")) {
      return Optional.empty();
    }
    String shared = SHARED.get(name);
    if (shared != null) {
      return shared.isEmpty() ? Optional.empty() : Optional.of(new ConfigKey(shared));
    }
    String path = option.command().qualifiedName(".");
    int root = path.indexOf('.');
    String prefix = root < 0 ? "" : path.substring(root + 1) + ".";
    return Optional.of(new ConfigKey(prefix + name.substring(2)));
  }

  /** {@code KICKDRIFT_SERVE_HTTP_PORT} for {@code serve.http-port}. */
  String environment() {
    return "KICKDRIFT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
