package io.kickdrift.agent.pkgdb.dpkg;

import java.util.ArrayList;
import java.util.List;

/** Reads an update-alternatives administrative file for the links it manages. */
final class Alternatives {
  private Alternatives() {}

  /**
   * The links of one alternative group: {@code /etc/alternatives/<name>} and its generic link, and
   * the same for each slave. The file is: mode, master link, then (slave name, slave link) pairs up
   * to an empty line, then the choices.
   */
  static List<String> managedLinks(String name, String text) {
    String[] lines = text.split("\n", -1);
    List<String> out = new ArrayList<>();
    out.add("/etc/alternatives/" + name);
    if (lines.length > 1 && lines[1].startsWith("/")) {
      out.add(lines[1]);
    }
    for (int i = 2; i + 1 < lines.length && !lines[i].isEmpty(); i += 2) {
      out.add("/etc/alternatives/" + lines[i]);
      if (lines[i + 1].startsWith("/")) {
        out.add(lines[i + 1]);
      }
    }
    return out;
  }
}
