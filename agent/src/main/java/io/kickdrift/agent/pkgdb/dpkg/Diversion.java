package io.kickdrift.agent.pkgdb.dpkg;

import java.util.ArrayList;
import java.util.List;

/**
 * A dpkg-divert entry: files named {@code from} of every package but {@code pkg} live at {@code
 * to}.
 *
 * @param pkg the diverting package, or {@code null} for a local diversion
 */
record Diversion(String from, String to, String pkg) {

  /** Whether this diversion moves {@code owner}'s copy of the file. */
  boolean applies(String ownerName) {
    return pkg == null || !pkg.equals(ownerName);
  }

  /** Parses {@code /var/lib/dpkg/diversions}: triples of lines (from, to, package or ":"). */
  static List<Diversion> parse(String file, String text) throws DpkgParseException {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.size() % 3 != 0) {
      throw new DpkgParseException(
          file, lines.size(), "expected triples of lines (from, to, package), got " + lines.size());
    }
    List<Diversion> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i += 3) {
      String from = lines.get(i);
      String to = lines.get(i + 1);
      String pkg = lines.get(i + 2);
      if (!from.startsWith("/") || !to.startsWith("/")) {
        throw new DpkgParseException(file, i + 1, "diversion paths must be absolute");
      }
      out.add(new Diversion(from, to, pkg.equals(":") ? null : pkg));
    }
    return out;
  }
}
