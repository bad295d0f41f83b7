package io.kickdrift.agent.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The one directory where kickdrift keeps what it must find again, and the name of everything in
 * it. Every command of both CLIs finds it by one rule (docs/config.md): {@code --state DIR}, else
 * {@code $KICKDRIFT_STATE_DIR} (or the older {@code $KICKDRIFT_STATE}), else {@code state.dir} in
 * the configuration file, else {@code /var/lib/kickdrift} when run as root, else {@code
 * $XDG_STATE_HOME/kickdrift}, else {@code ~/.local/state/kickdrift}. The command line's part is
 * {@code StateOption}'s (through the configuration); the last three are {@link #byDefault()}.
 *
 * <pre>
 * StateDir state = StateDir.resolve(option);   // option: --state, or null
 * CallbackTokens.load(state.callbackKey());
 * </pre>
 */
public record StateDir(Path dir) {
  /** The environment variable that names the directory when {@code --state} does not. */
  public static final String ENV = "KICKDRIFT_STATE_DIR";

  /** The variable's name before issue 19, still read after {@link #ENV}. */
  public static final String OLD_ENV = "KICKDRIFT_STATE";

  /** The directory of a process run as root (the FHS place for a service's state). */
  public static final Path FOR_ROOT = Path.of("/var/lib/kickdrift");

  /** The directory {@code option} names, else the one this process's environment and user give. */
  public static StateDir resolve(Path option) {
    return resolve(
        option,
        System.getenv(),
        System.getProperty("user.name"),
        Path.of(System.getProperty("user.home")));
  }

  /**
   * The rule itself, over the given environment, user name and home directory. The order is the one
   * of every setting: what the command line says, then the environment, then the default (issue 19
   * puts the configuration file between the last two).
   */
  public static StateDir resolve(Path option, Map<String, String> env, String user, Path home) {
    if (option != null) {
      return new StateDir(option);
    }
    for (String var : new String[] {ENV, OLD_ENV}) {
      String named = env.get(var);
      if (named != null && !named.isBlank()) {
        return new StateDir(Path.of(named));
      }
    }
    return byDefault(env, user, home);
  }

  /** The directory when nothing names one: by this process's user and environment. */
  public static StateDir byDefault() {
    return byDefault(
        System.getenv(), System.getProperty("user.name"), Path.of(System.getProperty("user.home")));
  }

  static StateDir byDefault(Map<String, String> env, String user, Path home) {
    if ("root".equals(user)) {
      return new StateDir(FOR_ROOT);
    }
    String xdg = env.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return new StateDir(Path.of(xdg, "kickdrift"));
    }
    return new StateDir(home.resolve(".local/state/kickdrift"));
  }

  /**
   * This directory if it holds a server's state (its database), else an exception that says where
   * the path came from ({@code origin}: {@code --state}, a variable, FILE:LINE, {@code default})
   * and how to make one or find the right one. Only {@code serve} and {@code init} make a state.
   */
  public StateDir existing(String origin) throws NoStateException {
    if (Files.isRegularFile(database())) {
      return this;
    }
    String what = Files.isDirectory(dir) ? database() + " does not exist" : "no such directory";
    throw new NoStateException(
        "no kickdrift state at "
            + dir
            + " (from "
            + origin
            + "): "
            + what
            + "; make one with 'kickdrift init --state "
            + dir
            + "', or name the state serve uses with --state DIR, $KICKDRIFT_STATE_DIR or"
            + " state.dir in the configuration file (kickdrift config show)");
  }

  /** The server's database (install windows, events, leases). */
  public Path database() {
    return dir.resolve("kickdrift.db");
  }

  /** The key that install tokens are derived from. */
  public Path callbackKey() {
    return dir.resolve("callback.key");
  }

  /**
   * The key of the keyed digests in the placeholders of secret values the config repository commits
   * (docs/config-repo.md, "Secrets"): never in the repository; copy it to share it.
   */
  public Path secretDigestKey() {
    return dir.resolve("secret-digest.key");
  }

  /** The token the API and the web console ask for. */
  public Path adminToken() {
    return dir.resolve("admin.token");
  }

  /** The console's users and password hashes, unless {@code --users} names another file. */
  public Path users() {
    return dir.resolve("users.yaml");
  }

  /** The host keys {@code serve}'s baseline scans recorded. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** The files {@code serve} hands out as they are, and where {@code import} puts kernels. */
  public Path servedRoot() {
    return dir.resolve("root");
  }

  /** The scanner's stat cache for the tree at {@code scanned}: one per scanned root. */
  public Path statCache(Path scanned) {
    return perRoot("statcache", scanned);
  }

  /**
   * The parsed package database of the tree at {@code scanned} kept between scans: one for config
   * files only, one for every file ({@code scan --all}).
   */
  public Path packageSnapshot(Path scanned, boolean allFiles) {
    return perRoot(allFiles ? "pkgdb-all" : "pkgdb-config", scanned);
  }

  /**
   * What scans read from .deb archives, by archive digest: one for every root, since an archive's
   * content does not depend on where it is installed.
   */
  public Path debIndex() {
    return dir.resolve("cache").resolve("deb-index");
  }

  private Path perRoot(String kind, Path scanned) {
    return dir.resolve(kind + "-" + shortHash(scanned.toString()));
  }

  private static String shortHash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
