package io.kickdrift.server.fleet;

import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.ScanPipeline;
import io.kickdrift.agent.scan.ScanReport;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Scans a host that has no Java: the package manager's own verify and a few listing and hashing
 * commands run over a {@link RemoteShell}, and the answers are put together into the same {@link
 * ScanReport} the agent's {@code kickdrift scan} would write (docs/fleet.md, "Agentless scans",
 * lists where they differ).
 *
 * <p>Example: {@code Agentless.scan(session.rootShell(timeout), new Agentless.Request("web01", "/",
 * List.of("/etc"), false, ignore, secrets))}.
 */
final class Agentless {
  /** No command line we send is longer than this, in bytes. */
  static final int MAX_COMMAND = 100_000;

  /**
   * What to scan: mirrors the agent's options.
   *
   * @param host the name the report gives the host
   * @param root the remote tree, {@code /} normally (tests use a directory)
   * @param paths where to look for unowned files, absolute
   * @param allFiles every packaged file, not only config files
   * @param ignore paths never reported
   * @param secrets paths whose content is secret
   */
  public record Request(
      String host,
      String root,
      List<String> paths,
      boolean allFiles,
      GlobRules ignore,
      GlobRules secrets) {
    public Request {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("agentless scan: host name missing");
      }
      if (root == null || !root.startsWith("/")) {
        throw new IllegalArgumentException("agentless scan: root is not absolute: " + root);
      }
      for (String p : paths) {
        if (!p.startsWith("/")) {
          throw new IllegalArgumentException("agentless scan: path is not absolute: " + p);
        }
      }
      paths = List.copyOf(paths);
    }

    /** What the scan pipeline judges. */
    ScanPipeline.Rules rules() {
      return new ScanPipeline.Rules(allFiles, paths, ignore, secrets);
    }

    /** The root as a prefix of host paths: empty for {@code /}. */
    String prefix() {
      String r = root;
      while (r.endsWith("/")) {
        r = r.substring(0, r.length() - 1);
      }
      return r;
    }
  }

  private Agentless() {}

  /**
   * Builds the report. Its {@code backend} says how it was made: {@code dpkg --verify} or {@code
   * rpm -Va} with {@code allFiles}; {@code dpkg} or {@code rpm-sqlite}, as the agent's, for config
   * files only, which are checked without the verify command.
   *
   * @throws IOException when the host has neither dpkg nor rpm, has an rpm database other than
   *     sqlite, or a command fails or answers in a way we cannot read; the message names the host
   */
  public static ScanReport scan(RemoteShell sh, Request r) throws IOException, SshException {
    String root = RemoteShell.quote(r.prefix().isEmpty() ? "/" : r.prefix());
    String detect =
        "if [ -f "
            + root
            + "/var/lib/dpkg/status ] && command -v dpkg >/dev/null 2>&1; then echo dpkg;"
            + " elif command -v rpm >/dev/null 2>&1; then"
            + " for d in /var/lib/rpm /usr/lib/sysimage/rpm; do"
            + " if [ -f "
            + root
            + "$d/rpmdb.sqlite ]; then echo \"rpm $d\"; exit 0; fi; done; echo rpm;"
            + " else echo none; fi";
    String backend = run(sh, "backend detection", detect, 0).text().strip();
    if (backend.equals("dpkg")) {
      return AgentlessScan.scan(sh, r, AgentlessBackend.dpkg(r.prefix(), r.allFiles()));
    }
    if (backend.startsWith("rpm /")) {
      return AgentlessScan.scan(sh, r, AgentlessBackend.rpm(r.prefix(), backend.substring(4)));
    }
    if (backend.equals("rpm")) {
      throw new IOException(
          sh.name()
              + ": agentless scans of RPM hosts need an sqlite rpm database (rpmdb.sqlite);"
              + " this one is Berkeley DB or ndb: install Java there and run the agent");
    }
    throw new IOException("neither dpkg nor rpm found on " + sh.name());
  }

  static RemoteShell.Output run(RemoteShell sh, String label, String command, int... ok)
      throws IOException, SshException {
    return checked(sh, label, sh.run(command), ok);
  }

  /** As {@link #run(RemoteShell, String, String, int...)}, stdout to {@code stdout}. */
  static RemoteShell.Output run(
      RemoteShell sh, String label, String command, OutputStream stdout, int... ok)
      throws IOException, SshException {
    return checked(sh, label, sh.run(command, stdout), ok);
  }

  private static RemoteShell.Output checked(
      RemoteShell sh, String label, RemoteShell.Output out, int... ok) throws IOException {
    for (int e : ok) {
      if (out.exit() == e) {
        return out;
      }
    }
    throw new IOException(
        sh.name() + ": " + label + " failed (exit " + out.exit() + "): " + lastLine(out.stderr()));
  }

  static String lastLine(String s) {
    String t = s == null ? "" : s.strip();
    int nl = t.lastIndexOf('\n');
    String l = nl < 0 ? t : t.substring(nl + 1);
    return l.isEmpty() ? "(no message)" : l;
  }

  /**
   * Splits shell words (already quoted) into groups whose joined length, plus {@code overhead},
   * stays under {@link #MAX_COMMAND}.
   */
  static List<List<String>> batches(List<String> words, int overhead) {
    return batches(words, overhead, 1);
  }

  /** As {@link #batches(List, int)}, for a command that names each word {@code copies} times. */
  static List<List<String>> batches(List<String> words, int overhead, int copies) {
    List<List<String>> out = new ArrayList<>();
    List<String> cur = new ArrayList<>();
    int len = overhead;
    for (String w : words) {
      int wl = (w.length() + 1) * copies;
      if (!cur.isEmpty() && len + wl > MAX_COMMAND) {
        out.add(cur);
        cur = new ArrayList<>();
        len = overhead;
      }
      cur.add(w);
      len += wl;
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }
}
