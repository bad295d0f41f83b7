package io.kickdrift.server.fleet;

import io.kickdrift.agent.report.JsonReport;
import io.kickdrift.agent.scan.ScanReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scans a host with the agent itself: the jar is copied once per version to {@code
 * CACHE/agent-SHA16.jar} (CACHE: {@code ~/.cache/kickdrift} of the login user unless told), over
 * SFTP to a temporary name, then renamed; after a copy the other {@code agent-SHA16.jar} there are
 * removed, so a host keeps one jar whatever the number of upgrades. It runs as root with {@code
 * --json}; its report is the host's.
 */
final class AgentWay {
  /** The agent needs Java 17. */
  static final int MIN_JAVA = 17;

  private static final Pattern JAVA_VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");
  private static final String MAIN = "io.kickdrift.agent.cli.AgentMain";

  /** Where the jar goes when not told: relative to the login user's home. */
  static final String DEFAULT_CACHE = ".cache/kickdrift";

  /** Characters a cache directory may have: nothing the remote shell or a glob would read. */
  private static final Pattern CACHE = Pattern.compile("[A-Za-z0-9._/+@%=,:-]+");

  /** The jar to copy to hosts, and its SHA-256, which names it there. */
  record Jar(Path path, String sha256) {
    static Jar of(Path path) throws IOException {
      try (InputStream in =
          new DigestInputStream(Files.newInputStream(path), MessageDigest.getInstance("SHA-256"))) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return new Jar(
            path, HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private AgentWay() {}

  /** The major version of the {@code java} root finds on the host, or 0 when there is none. */
  static int javaVersion(RemoteShell root) throws IOException, SshException {
    RemoteShell.Output o = root.run("command -v java >/dev/null 2>&1 && java -version 2>&1");
    return o.exit() == 0 ? parseJavaVersion(o.text()) : 0;
  }

  static int parseJavaVersion(String text) {
    Matcher m = JAVA_VERSION.matcher(text);
    if (!m.find()) {
      return 0;
    }
    try {
      return Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The cache directory {@code dir} as given to {@code --agent-cache}, checked: absolute, or
   * relative to the login user's home (with or without {@code ~/}); no {@code ..} and no characters
   * a shell would read (quoted all the same); trailing slashes dropped.
   */
  static String cacheDir(String dir) {
    if (dir == null) {
      return DEFAULT_CACHE;
    }
    String d = (dir.startsWith("~/") ? dir.substring(2) : dir).replaceAll("(?<=.)/+$", "");
    if (d.isEmpty() || d.equals("/") || d.equals(".")) {
      throw new IllegalArgumentException(
          "--agent-cache " + dir + ": a directory of its own, not / or the home directory");
    }
    if (!CACHE.matcher(d).matches()) {
      throw new IllegalArgumentException(
          "--agent-cache "
              + dir
              + ": only letters, digits and ._/+@%=,:- may name the directory on the hosts");
    }
    for (String part : d.split("/")) {
      if (part.equals("..")) {
        throw new IllegalArgumentException("--agent-cache " + dir + ": no .. in the directory");
      }
    }
    return d;
  }

  /**
   * The name of {@code jar} on hosts: {@code agent-} and the first 16 hex digits of its SHA-256.
   */
  static String remoteName(Jar jar) {
    return "agent-" + jar.sha256().substring(0, 16) + ".jar";
  }

  /**
   * The command that removes the agent jars in {@code dir} other than {@code keep}: only regular
   * files named {@code agent-} and 16 hex digits {@code .jar}, nothing else that is there.
   */
  static String removeOthers(String dir, String keep) {
    return "cd "
        + RemoteShell.quote(dir)
        + " && for f in agent-"
        + "[0-9a-f]".repeat(16)
        + ".jar; do if [ \"$f\" != "
        + RemoteShell.quote(keep)
        + " ] && [ -f \"$f\" ] && [ ! -h \"$f\" ]; then rm -f -- \"$f\"; fi; done";
  }

  /**
   * Copies the jar into the cache directory {@code cache} (see {@link #cacheDir}) unless the host
   * has this version already, then removes older versions; returns its path there. {@code login}
   * runs as the login user ({@link Session#asLoginUser}), who owns the cache; when the jar is in
   * place that is one command.
   */
  static String install(Session s, RemoteShell login, Jar jar, String cache)
      throws IOException, SshException {
    String dir = cacheDir(cache);
    String name = remoteName(jar);
    // the directory, made and closed to others, on the first line; the jar's size, if there, next
    String where =
        dir.startsWith("/")
            ? "d=" + RemoteShell.quote(dir)
            : "case $HOME in /*) ;; *) echo \"no home directory (HOME='$HOME')\" >&2; exit 3;; esac;"
                + " d=\"${HOME%/}\"/"
                + RemoteShell.quote(dir);
    RemoteShell.Output have =
        login.run(
            where
                + " && mkdir -p \"$d\" && chmod 700 \"$d\" && printf '%s\\n' \"$d\""
                + " && { stat -c %s \"$d\"/"
                + RemoteShell.quote(name)
                + " 2>/dev/null || true; }");
    String[] lines = have.text().split("\n", -1);
    if (have.exit() != 0 || !lines[0].startsWith("/")) {
      throw new IOException(
          login.name()
              + ": cannot create the agent's directory "
              + dir
              + ": "
              + RemoteFiles.lastLine(have.stderr(), "mkdir"));
    }
    dir = lines[0];
    String remote = dir + "/" + name;
    if (lines.length > 1 && lines[1].strip().equals(Long.toString(Files.size(jar.path())))) {
      return remote;
    }
    String tmp = remote + ".tmp-" + UUID.randomUUID();
    s.upload(jar.path(), tmp);
    // the old versions go only once the new one is in place; failing to remove one is no error
    RemoteShell.Output mv =
        login.run(
            "mv -f "
                + RemoteShell.quote(tmp)
                + " "
                + RemoteShell.quote(remote)
                + " || exit 1; "
                + removeOthers(dir, name)
                + "; exit 0");
    if (mv.exit() != 0) {
      throw new IOException(
          s.target() + ": cannot rename the agent jar: " + RemoteFiles.lastLine(mv.stderr(), "mv"));
    }
    return remote;
  }

  /** Runs the agent on the host; exit 0 (clean) and 1 (drift) give a report. */
  static ScanReport scan(RemoteShell root, String jar, FleetScan.Options o, String host)
      throws IOException, SshException {
    List<String> args = new ArrayList<>();
    args.add("java");
    // A short-lived process: the C1 compiler and the serial collector start fastest.
    args.add("-XX:TieredStopAtLevel=1");
    args.add("-XX:+UseSerialGC");
    args.add("-cp");
    args.add(jar);
    args.add(MAIN);
    args.add("scan");
    args.add("--json");
    args.add("--root=" + o.root());
    args.add("--host=" + host);
    args.add("--paths=" + String.join(",", o.paths()));
    if (o.allFiles()) {
      args.add("--all");
    }
    if (o.paths().isEmpty()) {
      args.add("--no-unowned");
    }
    StringBuilder cmd = new StringBuilder("LANG=C.UTF-8 exec");
    args.forEach(a -> cmd.append(' ').append(RemoteShell.quote(a)));
    RemoteShell.Output out = root.run(cmd.toString());
    if (out.exit() != 0 && out.exit() != 1) {
      throw new IOException(
          root.name()
              + ": agent scan failed (exit "
              + out.exit()
              + "): "
              + RemoteFiles.lastLine(out.stderr(), "java ... scan"));
    }
    ScanReport r = JsonReport.read(root.name() + ": agent report", out.stdout());
    if (!host.equals(r.host())) {
      throw new IOException(
          root.name() + ": agent report is for host '" + r.host() + "', expected '" + host + "'");
    }
    return r;
  }
}
