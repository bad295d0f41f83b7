package io.kickdrift.server.fleet;

import io.kickdrift.agent.report.JsonReport;
import io.kickdrift.agent.scan.ScanReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;

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

  /** What the cache check prints before the directory it made. */
  private static final String DIR_LINE = "kickdrift-agent-cache ";

  /** Characters a cache directory may have: nothing the remote shell or a glob would read. */
  private static final Pattern CACHE = Pattern.compile("[A-Za-z0-9._/+@%=,:-]+");

  /** The jar to copy to hosts, and its SHA-256, which names it there. */
  record Jar(Path path, String sha256) {
    static Jar of(Path path) throws IOException {
      try (InputStream in = Files.newInputStream(path)) {
        return new Jar(path, DigestUtils.sha256Hex(in));
      }
    }
  }

  private AgentWay() {}

  /**
   * The {@code java} root finds on a host: its major version (0 when there is none) and 8 hex
   * digits of the SHA-256 of what {@code java -version} printed, which names the class archive made
   * for that exact build ({@link #archive}).
   */
  record HostJava(int major, String build) {}

  /** The {@code java} root finds on the host ({@link HostJava}). */
  static HostJava javaOnHost(RemoteShell root) throws IOException, SshException {
    RemoteShell.Output o = root.run("command -v java >/dev/null 2>&1 && java -version 2>&1");
    if (o.exit() != 0) {
      return new HostJava(0, "");
    }
    String text = o.text();
    Matcher m = JAVA_VERSION.matcher(text);
    if (!m.find()) {
      return new HostJava(0, "");
    }
    // from the version's line on: a login shell's start-up files may print before it
    String version = text.substring(text.lastIndexOf('\n', m.start()) + 1);
    return new HostJava(
        parseJavaVersion(version),
        DigestUtils.sha256Hex(version.getBytes(StandardCharsets.UTF_8)).substring(0, 8));
  }

  /**
   * Where the agent's class archive (a dynamic CDS archive) lives beside its jar on the host: the
   * jar's name without {@code .jar}, {@code -}, the build of {@code java}, {@code .jsa}. A new jar
   * or another Java build gets an archive of its own.
   */
  static String archive(String remoteJar, HostJava java) {
    return remoteJar.substring(0, remoteJar.length() - ".jar".length())
        + "-"
        + java.build()
        + ".jsa";
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
   * The command that removes the agent jars in {@code dir} other than {@code keep}, and their class
   * archives: only regular files named {@code agent-} and 16 hex digits {@code .jar}, or {@code
   * agent-}, 16 hex digits, {@code -}, 8 hex digits {@code .jsa} for another jar; and the archives
   * a killed scan left half written ({@link #withArchive}: that name, {@code .tmp-} and the PID of
   * a shell no longer running), whichever jar's; nothing else that is there.
   */
  static String removeOthers(String dir, String keep) {
    String hex16 = "[0-9a-f]".repeat(16);
    String archive = "agent-" + hex16 + "-" + "[0-9a-f]".repeat(8) + ".jsa";
    String kept = RemoteShell.quote(keep.substring(0, keep.length() - ".jar".length()) + "-");
    return "cd "
        + RemoteShell.quote(dir)
        + " && { for f in agent-"
        + hex16
        + ".jar "
        + archive
        + "; do case $f in "
        + RemoteShell.quote(keep)
        + "|"
        + kept
        + "*) continue;; esac;"
        + " if [ -f \"$f\" ] && [ ! -h \"$f\" ]; then rm -f -- \"$f\"; fi; done; "
        + removeAbandoned(archive)
        + " }";
  }

  /**
   * The loop that removes the class archives {@code archive} (a shell word: a quoted name or a
   * glob) that a killed scan left half written: regular files named {@code archive.tmp-PID} whose
   * shell no longer runs ({@code /proc/PID}). Ends in {@code ;}.
   */
  static String removeAbandoned(String archive) {
    return "for f in "
        + archive
        + ".tmp-*; do p=${f##*.tmp-}; case $p in ''|*[!0-9]*) continue;; esac;"
        + " if [ -f \"$f\" ] && [ ! -h \"$f\" ] && [ ! -d \"/proc/$p\" ]; then rm -f -- \"$f\"; fi;"
        + " done;";
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
                + " && mkdir -p \"$d\" && chmod 700 \"$d\" && printf '"
                + DIR_LINE
                + "%s\\n' \"$d\""
                + " && { stat -c %s \"$d\"/"
                + RemoteShell.quote(name)
                + " 2>/dev/null || true; }");
    // a login shell's start-up files may print before the directory's line
    List<String> lines = have.text().lines().toList();
    int at = lines.size() - 1;
    while (at >= 0 && !lines.get(at).startsWith(DIR_LINE + "/")) {
      at--;
    }
    if (have.exit() != 0 || at < 0) {
      throw new IOException(
          login.name()
              + ": cannot create the agent's directory "
              + dir
              + ": "
              + RemoteFiles.lastLine(have.stderr(), "mkdir"));
    }
    dir = lines.get(at).substring(DIR_LINE.length());
    String remote = dir + "/" + name;
    if (at + 1 < lines.size()
        && lines.get(at + 1).strip().equals(Long.toString(Files.size(jar.path())))) {
      return remote;
    }
    String tmp = remote + ".tmp-" + UUID.randomUUID();
    s.upload(jar.path(), tmp);
    // the old versions go only once the new one is in place; failing to remove one is no error.
    // A copy another scan put in place meanwhile stays: its class archive records its mtime.
    RemoteShell.Output mv =
        login.run(
            "if [ \"$(stat -c %s "
                + RemoteShell.quote(remote)
                + " 2>/dev/null)\" = "
                + Files.size(jar.path())
                + " ]; then rm -f -- "
                + RemoteShell.quote(tmp)
                + "; else mv -f -- "
                + RemoteShell.quote(tmp)
                + " "
                + RemoteShell.quote(remote)
                + " || exit 1; fi; "
                + removeOthers(dir, name)
                + "; exit 0");
    if (mv.exit() != 0) {
      throw new IOException(
          s.target() + ": cannot rename the agent jar: " + RemoteFiles.lastLine(mv.stderr(), "mv"));
    }
    return remote;
  }

  /**
   * Runs the agent on the host; exit 0 (clean) and 1 (drift) give a report. The JVM maps the
   * classes of the agent's class archive ({@link #archive}) when there is one; when there is none
   * this run writes it as it exits, under a temporary name renamed into place.
   */
  static ScanReport scan(
      RemoteShell root, String jar, HostJava java, FleetScan.Options o, String host)
      throws IOException, SshException {
    List<String> args = new ArrayList<>();
    args.add("java");
    // No JVM log lines: the default sends warnings (the class archive's among them) to stdout,
    // which carries the report.
    args.add("-Xlog:disable");
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
    RemoteShell.Output out = root.run(withArchive(archive(jar, java), args));
    if (out.exit() != 0 && out.exit() != 1) {
      throw new IOException(
          root.name()
              + ": agent scan failed (exit "
              + out.exit()
              + "): "
              + RemoteFiles.lastLine(out.stderr(), "java ... scan"));
    }
    ScanReport r;
    try {
      r = JsonReport.read(root.name() + ": agent report", out.stdout());
    } catch (IOException e) {
      throw new IOException(
          e.getMessage()
              + " (exit "
              + out.exit()
              + "; "
              + RemoteFiles.lastLine(out.stderr(), "java ... scan")
              + ")",
          e);
    }
    if (!host.equals(r.host())) {
      throw new IOException(
          root.name() + ": agent report is for host '" + r.host() + "', expected '" + host + "'");
    }
    return r;
  }

  /**
   * The command that runs {@code args} (a {@code java} command line; the archive's option goes
   * right after its first word) with the class archive {@code archive}: mapped when it is there;
   * else written at exit to {@code archive.tmp-PID} (removed first, in case something is there,
   * with those a killed run left: {@link #removeAbandoned}), renamed into place when the JVM wrote
   * it and removed when it did not. Exits with the JVM's status.
   */
  static String withArchive(String archive, List<String> args) {
    StringBuilder java = new StringBuilder("LANG=C.UTF-8 ");
    java.append(RemoteShell.quote(args.get(0))).append(" \"$@\"");
    args.subList(1, args.size()).forEach(a -> java.append(' ').append(RemoteShell.quote(a)));
    return "a="
        + RemoteShell.quote(archive)
        + "; t=; if [ -f \"$a\" ]; then set -- -XX:SharedArchiveFile=\"$a\";"
        + " else "
        + removeAbandoned("\"$a\"")
        + " t=\"$a.tmp-$$\"; rm -f -- \"$t\"; set -- -XX:ArchiveClassesAtExit=\"$t\"; fi; "
        + java
        + "; r=$?; if [ -n \"$t\" ]; then case $r in 0|1) [ -s \"$t\" ] && mv -f -- \"$t\" \"$a\";;"
        + " esac; rm -f -- \"$t\"; fi; exit $r";
  }
}
