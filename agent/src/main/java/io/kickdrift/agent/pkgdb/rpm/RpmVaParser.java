package io.kickdrift.agent.pkgdb.rpm;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code rpm -V} output. Dependency problems ({@code Unsatisfied dependencies for ...} and
 * the tab-indented lines under it) are not about files and are skipped.
 *
 * <p>Example: {@code RpmVaParser.parse(output)} on {@code "S.5....T. c /etc/x\n"}.
 */
final class RpmVaParser {
  private RpmVaParser() {}

  static List<RpmVaLine> parse(String output) throws RpmVaParseException {
    List<RpmVaLine> out = new ArrayList<>();
    String[] lines = output.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (line.isBlank()
          || line.startsWith("\t")
          || line.startsWith("Unsatisfied dependencies for ")) {
        continue;
      }
      try {
        out.add(parseLine(line));
      } catch (RpmVaParseException e) {
        throw new RpmVaParseException("line " + (n + 1) + ": " + e.getMessage());
      }
    }
    return out;
  }

  static RpmVaLine parseLine(String line) throws RpmVaParseException {
    String markers;
    if (line.startsWith(RpmVaLine.MISSING)) {
      markers = RpmVaLine.MISSING;
    } else {
      int end = line.indexOf(' ');
      markers = end < 0 ? line : line.substring(0, end);
      checkMarkers(markers);
    }
    String rest = line.substring(markers.length());
    String r = rest.stripLeading();
    if (r.length() == rest.length()) {
      throw new RpmVaParseException("no space after " + markers);
    }
    if (r.startsWith("/")) {
      return new RpmVaLine(markers, ' ', r);
    }
    if (r.length() >= 3 && RpmVaLine.ATTRS.indexOf(r.charAt(0)) >= 0 && r.startsWith(" /", 1)) {
      return new RpmVaLine(markers, r.charAt(0), r.substring(2));
    }
    throw new RpmVaParseException("no absolute path after " + markers);
  }

  private static void checkMarkers(String m) throws RpmVaParseException {
    if (m.length() != 8 && m.length() != 9) {
      throw new RpmVaParseException("markers '" + m + "' are not 8 or 9 columns");
    }
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      char letter = RpmVaLine.COLUMNS.charAt(i);
      if (c != letter && c != '.' && c != '?') {
        throw new RpmVaParseException(
            "column " + (i + 1) + " is '" + c + "', not " + letter + ", . or ?");
      }
    }
  }
}
