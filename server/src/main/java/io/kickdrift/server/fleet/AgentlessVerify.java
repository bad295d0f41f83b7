package io.kickdrift.server.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * The output of {@code dpkg --verify --verify-format rpm}: one line per file that failed a check,
 * {@code ??5?????? c /etc/foo} or {@code missing c /etc/bar}. A pure parser.
 */
final class AgentlessVerify {
  /**
   * One reported file.
   *
   * @param checks the nine check columns, or {@code missing}
   * @param attr the attribute letter, {@code c} for config files, blank for none
   * @param path as dpkg printed it; a missing file's path may end in {@code (error)} when the
   *     reason was not ENOENT
   */
  record Line(String checks, char attr, String path) {
    boolean missing() {
      return checks.equals("missing");
    }

    /** Whether the digest column (the third) says the content differs. */
    boolean contentDiffers() {
      return !missing() && checks.charAt(2) == '5';
    }
  }

  private AgentlessVerify() {}

  /**
   * Parses the whole output. dpkg prints a name with a newline as it is, so a line that is not a
   * verify line continues the previous line's path.
   *
   * @param command names the command in error messages
   * @throws AgentlessParseException when the first line is not a verify line
   */
  static List<Line> parse(String command, String text) throws AgentlessParseException {
    List<Line> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int n = lines.length;
    if (n > 0 && lines[n - 1].isEmpty()) {
      n--; // the final newline
    }
    for (int i = 0; i < n; i++) {
      String l = lines[i];
      Line parsed = line(l);
      if (parsed != null) {
        out.add(parsed);
      } else if (!out.isEmpty()) {
        Line prev = out.remove(out.size() - 1);
        out.add(new Line(prev.checks(), prev.attr(), prev.path() + "\n" + l));
      } else {
        throw new AgentlessParseException(
            command, "line " + (i + 1), "not a verify line: '" + shorten(l) + "'");
      }
    }
    return out;
  }

  private static Line line(String l) {
    // Nine check columns (or "missing" padded to nine), then dpkg's " A /path" or rpm's
    // "  A /path", where A is the attribute letter or a blank. The path starts with '/', so the
    // two cannot be confused.
    if (l.length() < 13) {
      return null;
    }
    int at;
    if (l.charAt(9) == ' ' && l.charAt(11) == ' ' && l.charAt(12) == '/') {
      at = 10;
    } else if (l.length() >= 14
        && l.charAt(9) == ' '
        && l.charAt(10) == ' '
        && l.charAt(12) == ' '
        && l.charAt(13) == '/') {
      at = 11;
    } else {
      return null;
    }
    // dpkg marks only config files; rpm also d (doc), g (ghost), l (license), r (readme), a.
    char attr = l.charAt(at);
    if (attr != ' ' && (attr < 'a' || attr > 'z')) {
      return null;
    }
    String checks = l.substring(0, 9);
    if (checks.equals("missing  ")) {
      checks = "missing";
    } else {
      for (int i = 0; i < 9; i++) {
        char c = checks.charAt(i);
        boolean ok =
            c == '?'
                || c == '.'
                || (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9');
        if (!ok) {
          return null;
        }
      }
    }
    return new Line(checks, attr, l.substring(at + 2));
  }

  static String shorten(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
