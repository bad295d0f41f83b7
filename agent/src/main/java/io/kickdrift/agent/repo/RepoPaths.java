package io.kickdrift.agent.repo;

import java.util.regex.Pattern;

/**
 * Where a host's files and manifest live in the repository: {@code hosts/<host>/files/<absolute
 * path>} and {@code hosts/<host>/manifest.json}.
 */
final class RepoPaths {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  private RepoPaths() {}

  /** The host name, checked: it becomes a directory name in the repository. */
  static String host(String host) {
    if (host == null || !HOST.matcher(host).matches() || host.contains("..")) {
      throw new IllegalArgumentException(
          "host name '"
              + host
              + "' cannot name a directory of the config repository"
              + " (letters, digits, '.', '-', '_'; no '..')");
    }
    return host;
  }

  static String hostDir(String host) {
    return "hosts/" + host(host) + "/";
  }

  static String manifest(String host) {
    return hostDir(host) + "manifest.json";
  }

  static String filesDir(String host) {
    return hostDir(host) + "files";
  }

  /**
   * {@code /etc/ssh/sshd_config} of web01 → {@code hosts/web01/files/etc/ssh/sshd_config}.
   *
   * @throws IllegalArgumentException for a path that is not absolute and normal (empty, {@code .}
   *     or {@code ..} names), or has a name git refuses ({@code .git})
   */
  static String file(String host, String abs) {
    if (abs == null || !abs.startsWith("/") || abs.length() < 2) {
      throw new IllegalArgumentException("not an absolute path: " + abs);
    }
    for (String name : abs.substring(1).split("/", -1)) {
      if (name.isEmpty() || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException("not a normal absolute path: " + abs);
      }
      if (name.equalsIgnoreCase(".git") || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("git cannot store a file named like " + abs);
      }
    }
    return filesDir(host) + abs;
  }

  /** The inverse of {@link #file}: the absolute path, or {@code null} outside the host's files. */
  static String hostPath(String host, String repoPath) {
    String dir = filesDir(host);
    if (!repoPath.startsWith(dir + "/")) {
      return null;
    }
    return repoPath.substring(dir.length());
  }
}
