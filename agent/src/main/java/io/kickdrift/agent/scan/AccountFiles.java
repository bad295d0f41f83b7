package io.kickdrift.agent.scan;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The account files no package owns ({@code /etc/passwd}, {@code group}, {@code shadow}, {@code
 * gshadow}): base-passwd writes them and maintainer scripts add system accounts ({@code adduser
 * --system}). While they hold only system accounts (ids below 1000, as adduser's FIRST_UID, and
 * nobody) without a password they are generated; one person's account, or a password set, makes
 * them local drift.
 */
final class AccountFiles {
  private AccountFiles() {}

  static final List<String> PATHS =
      List.of("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow");

  private static final int FIRST_UID = 1000;
  private static final int NOBODY = 65534;

  /** Why {@code path} is generated, or {@code null} when it holds a person's account. */
  static String systemOnly(String path, Map<String, String> texts) {
    String why =
        "only system accounts (ids below "
            + FIRST_UID
            + ", and nobody), which base-passwd and maintainer scripts (adduser --system) create";
    boolean system =
        switch (path) {
          case "/etc/passwd", "/etc/group" -> allSystem(texts.get(path));
          case "/etc/shadow" -> namesWithin(texts.get(path), systemNames(texts.get("/etc/passwd")));
          case "/etc/gshadow" -> namesWithin(texts.get(path), systemNames(texts.get("/etc/group")));
          default -> false;
        };
    return system ? why : null;
  }

  private static boolean allSystem(String text) {
    if (text == null) {
      return false;
    }
    for (String line : text.split("\n")) {
      if (!line.isBlank() && system(line) == null) {
        return false;
      }
    }
    return true;
  }

  /** The names of a passwd or group file's system entries. */
  private static Set<String> systemNames(String text) {
    Set<String> names = new HashSet<>();
    if (text != null) {
      for (String line : text.split("\n")) {
        String name = system(line);
        if (name != null) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** The name of a passwd or group entry with a system id, else {@code null}. */
  private static String system(String line) {
    String[] f = line.split(":", -1);
    if (f.length < 4) {
      return null;
    }
    try {
      int id = Integer.parseInt(f[2]);
      return id < FIRST_UID || id == NOBODY ? f[0] : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Whether every entry of a shadow file names one of {@code names} and has no password: a password
   * set (root's, or any hash) is a person's act, never a maintainer script's.
   */
  private static boolean namesWithin(String text, Set<String> names) {
    if (text == null) {
      return false;
    }
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(":", -1);
      if (f.length < 2 || !names.contains(f[0]) || !f[1].matches("[*!]*")) {
        return false;
      }
    }
    return true;
  }
}
