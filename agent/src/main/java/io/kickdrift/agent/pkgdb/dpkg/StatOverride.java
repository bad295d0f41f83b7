package io.kickdrift.agent.pkgdb.dpkg;

import java.util.ArrayList;
import java.util.List;

/**
 * A dpkg-statoverride entry: the owner, group and mode the admin asked dpkg to give a path. Owners
 * without a name are written {@code #uid}.
 */
record StatOverride(String path, String user, String group, int permissions) {

  /** Parses {@code /var/lib/dpkg/statoverride}: {@code user group octal-mode path} per line. */
  static List<StatOverride> parse(String file, String text, List<String> warnings) {
    List<StatOverride> out = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n")) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      String[] w = line.split(" ", 4);
      try {
        if (w.length != 4 || !w[3].startsWith("/")) {
          throw new NumberFormatException();
        }
        out.add(new StatOverride(w[3], w[0], w[1], Integer.parseInt(w[2], 8)));
      } catch (NumberFormatException e) {
        warnings.add(file + ":" + n + ": expected 'user group mode path'; skipped");
      }
    }
    return out;
  }
}
