package io.kickdrift.agent.scan;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The account files no package owns ({@code /etc/passwd}, {@code group}, {@code shadow}, {@code
 * gshadow}): base-passwd writes them and maintainer scripts add system accounts ({@code adduser
 * --system}). While they hold only system accounts (ids below 1000, as adduser's FIRST_UID, and
 * nobody) they are generated; one person's account makes them local drift.
 */
final class AccountFiles {
  private AccountFiles() {}

  static final List<String> PATHS =
      List.of("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow");

  private static final int FIRST_UID = 1000;
  private static final int NOBODY = 65534;

  /** Why {@code path} is generated, or {@code null} when it holds a person's account. */
  static String systemOnly(String path, Map<String, String> texts) {
    String passwd = texts.get("/etc/passwd");
    String group = texts.get("/etc/group");
    if (passwd == null || group == null) {
      return null;
    }
    Set<String> users = systemNames(passwd);
    Set<String> groups = systemNames(group);
    if (users == null || groups == null) {
      return null;
    }
    String why =
        "only system accounts (ids below "
            + FIRST_UID
            + ", and nobody), which base-passwd and maintainer scripts (adduser --system) create";
    return switch (path) {
      case "/etc/passwd", "/etc/group" -> why;
      case "/etc/shadow" -> namesWithin(texts.get(path), users) ? why : null;
      case "/etc/gshadow" -> namesWithin(texts.get(path), groups) ? why : null;
      default -> null;
    };
  }

  /** The names of a passwd or group file when every entry is a system one, else {@code null}. */
  private static Set<String> systemNames(String text) {
    Set<String> names = new HashSet<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(":", -1);
      if (f.length < 4) {
        return null;
      }
      int id;
      try {
        id = Integer.parseInt(f[2]);
      } catch (NumberFormatException e) {
        return null;
      }
      if (id >= FIRST_UID && id != NOBODY) {
        return null;
      }
      names.add(f[0]);
    }
    return names;
  }

  private static boolean namesWithin(String text, Set<String> names) {
    if (text == null) {
      return false;
    }
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !names.contains(line.substring(0, Math.max(0, line.indexOf(':'))))) {
        return false;
      }
    }
    return true;
  }
}
