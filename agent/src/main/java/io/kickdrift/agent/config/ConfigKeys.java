package io.kickdrift.agent.config;

import io.kickdrift.agent.state.StateDir;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The key of each option (docs/config.md): {@code <subcommand path>.<long name>}, e.g. {@code
 * serve.http-port}, {@code fleet.scan.parallel}, except the options many commands share, which have
 * one top-level key whatever the command. Its environment variable is {@code KICKDRIFT_} and the
 * key in capitals with {@code _} for {@code .} and {@code -}.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** The shared options: the one place that lists them (issue 19's table). */
  static final Map<String, String> SHARED =
      Map.ofEntries(
          Map.entry("--state", "state.dir"),
          Map.entry("--database", "state.database"),
          Map.entry("--database-password-file", "state.database-password-file"),
          Map.entry("--inventory", "inventory"),
          Map.entry("--templates", "templates"),
          Map.entry("--log-format", "log.format"),
          Map.entry("--log-level", "log.level"),
          Map.entry("--secret-rules", "secret-rules"),
          Map.entry("--agent-cache", "fleet.agent-cache"),
          Map.entry("--tls-cert", "tls.cert"),
          Map.entry("--tls-key", "tls.key"),
          Map.entry("--users", "users"));

  /** Older variables still read, after the key's own. */
  static final Map<String, String> ENV_ALIASES = Map.of("state.dir", StateDir.OLD_ENV);

  /** The root option that names the file, and its variable. */
  static final String CONFIG_OPTION = "--config";

  static final String CONFIG_ENV = "KICKDRIFT_CONFIG";

  /**
   * The variables the launchers read ({@code dist/src/bin/kickdrift}): no option's, so a command
   * line with only some commands need not look for their option among the others.
   */
  public static final java.util.Set<String> LAUNCHER_ENV =
      java.util.Set.of(
          "KICKDRIFT_JAR",
          "KICKDRIFT_CACHE_DIR",
          "KICKDRIFT_CACHE_MAKE",
          "KICKDRIFT_JAVA_OPTS",
          "KICKDRIFT_JVM_DIRS",
          "KICKDRIFT_LAUNCHER_DEBUG");

  /**
   * The key of {@code option} of the command at {@code path} (the names below the root, joined with
   * dots; empty for the root), or null for help, version and {@code --config} itself.
   */
  static String of(String path, OptionSpec option) {
    String name = option.longestName();
    if (option.usageHelp()
        || option.versionHelp()
        || option.inherited()
        || CONFIG_OPTION.equals(name)
        || !name.startsWith("--")) {
      return null;
    }
    String shared = SHARED.get(name);
    if (shared != null) {
      return shared;
    }
    String bare = name.substring(2);
    return path.isEmpty() ? bare : path + "." + bare;
  }

  /**
   * The key of {@code option} wherever it sits in its command tree (what the man pages print), or
   * empty for help, version and {@code --config} itself.
   */
  public static Optional<String> of(OptionSpec option) {
    String qualified = option.command().qualifiedName(".");
    int root = qualified.indexOf('.');
    return Optional.ofNullable(of(root < 0 ? "" : qualified.substring(root + 1), option));
  }

  /** {@code serve.http-port} → {@code KICKDRIFT_SERVE_HTTP_PORT}. */
  public static String env(String key) {
    return "KICKDRIFT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
