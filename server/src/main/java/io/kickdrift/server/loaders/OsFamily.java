package io.kickdrift.server.loaders;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The package family of the machine kickdrift runs on, from {@code /etc/os-release}: it decides
 * where boot programs are found, which package provides them and how to ask who owns a file.
 */
public enum OsFamily {
  DEBIAN("apt-get install", List.of("debian", "ubuntu")),
  RHEL("dnf install", List.of("rhel", "fedora", "centos", "rocky", "almalinux"));

  private final String install;
  private final List<String> ids;

  OsFamily(String install, List<String> ids) {
    this.install = install;
    this.ids = ids;
  }

  /** The command that installs a package here, e.g. {@code apt-get install}. */
  public String install() {
    return install;
  }

  /**
   * The family named by ID, else by the first of ID_LIKE that is known. Empty when none is.
   *
   * @param osRelease the text of an os-release file
   */
  public static Optional<OsFamily> fromOsRelease(String osRelease) {
    List<String> names = new ArrayList<>();
    String like = "";
    for (String line : osRelease.split("\n")) {
      String[] kv = line.strip().split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      if (kv[0].equals("ID")) {
        names.add(0, unquote(kv[1]));
      } else if (kv[0].equals("ID_LIKE")) {
        like = unquote(kv[1]);
      }
    }
    names.addAll(List.of(like.split("\\s+")));
    for (String name : names) {
      for (OsFamily family : values()) {
        if (family.ids.contains(name)) {
          return Optional.of(family);
        }
      }
    }
    return Optional.empty();
  }

  /** The IDs this recognises, for messages. */
  static String known() {
    List<String> all = new ArrayList<>();
    for (OsFamily f : values()) {
      all.addAll(f.ids);
    }
    return String.join(", ", all);
  }

  private static String unquote(String value) {
    String v = value.strip();
    if (v.length() >= 2
        && (v.charAt(0) == '"' || v.charAt(0) == '\'')
        && v.charAt(v.length() - 1) == v.charAt(0)) {
      v = v.substring(1, v.length() - 1);
    }
    return v.toLowerCase(java.util.Locale.ROOT);
  }
}
