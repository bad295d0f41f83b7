package io.kickdrift.agent.scan;

import io.kickdrift.agent.host.RootPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * User and group names of the scanned root, read from its own {@code /etc/passwd} and {@code
 * /etc/group} (not the scanning machine's), so a chroot's uid 1001 gets the chroot's name. Restore
 * uses the same files the other way round: names to ids.
 */
public final class Accounts {
  private final Map<Integer, String> users;
  private final Map<Integer, String> groups;
  private final Map<String, Integer> userIds;
  private final Map<String, Integer> groupIds;

  private Accounts(Map<Integer, String> users, Map<Integer, String> groups) {
    this.users = withRoot(users);
    this.groups = withRoot(groups);
    this.userIds = ids(this.users);
    this.groupIds = ids(this.groups);
  }

  public static Accounts of(Path root) throws IOException {
    RootPaths paths = new RootPaths(root);
    return new Accounts(
        parse(read(paths.followOrPlain("/etc/passwd"))),
        parse(read(paths.followOrPlain("/etc/group"))));
  }

  /** From the text of a host's {@code /etc/passwd} and {@code /etc/group}. */
  public static Accounts parse(String passwd, String group) {
    return new Accounts(parse(passwd), parse(group));
  }

  /**
   * The id of a user name as {@link #user} writes it ({@code #1001} for an id without a name), or
   * {@code null} when the root has no such user.
   */
  public Integer uid(String name) {
    return id(name, userIds);
  }

  /** The id of a group name, as {@link #uid}. */
  public Integer gid(String name) {
    return id(name, groupIds);
  }

  private static Integer id(String name, Map<String, Integer> ids) {
    if (name.startsWith("#")) {
      try {
        int id = Integer.parseInt(name.substring(1));
        return id >= 0 ? id : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return ids.get(name);
  }

  // A name listed with two ids (rare, and a mistake) gets the lower one.
  private static Map<String, Integer> ids(Map<Integer, String> names) {
    Map<String, Integer> out = new HashMap<>();
    names.forEach((id, n) -> out.merge(n, id, Math::min));
    return out;
  }

  // POSIX fixes id 0 as root; a bare chroot without account files still has it.
  private static Map<Integer, String> withRoot(Map<Integer, String> m) {
    m.putIfAbsent(0, "root");
    return m;
  }

  /** The user's name, or {@code #uid} when the root has none. */
  public String user(int uid) {
    String n = users.get(uid);
    return n != null ? n : "#" + uid;
  }

  public String group(int gid) {
    String n = groups.get(gid);
    return n != null ? n : "#" + gid;
  }

  /** Both files are {@code name:x:id:...}; the first name for an id wins, as getpwuid does. */
  static Map<Integer, String> parse(String text) {
    Map<Integer, String> out = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(":", 4);
      if (f.length < 3 || f[0].isEmpty() || f[0].startsWith("#")) {
        continue;
      }
      try {
        out.putIfAbsent(Integer.parseInt(f[2]), f[0]);
      } catch (NumberFormatException e) {
        // Skipped: a malformed account line names no id we could match.
      }
    }
    return out;
  }

  private static String read(Path p) throws IOException {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    }
  }
}
