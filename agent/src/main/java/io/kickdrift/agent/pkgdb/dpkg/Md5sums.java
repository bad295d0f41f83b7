package io.kickdrift.agent.pkgdb.dpkg;

import io.kickdrift.agent.pkgdb.Digest;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code info/<pkg>.md5sums}: lines of {@code <md5> <path without leading slash>}. */
final class Md5sums {
  private Md5sums() {}

  /**
   * Malformed lines (third-party packages have them) are skipped with a warning naming the file and
   * line; the rest is kept.
   */
  static Map<String, Digest> parse(String file, String text, List<String> warnings) {
    Map<String, Digest> out = new HashMap<>();
    int lineNo = 0;
    int pos = 0;
    int len = text.length();
    while (pos < len) {
      int nl = text.indexOf('\n', pos);
      if (nl < 0) {
        nl = len;
      }
      lineNo++;
      String line = text.substring(pos, nl);
      pos = nl + 1;
      if (line.isEmpty()) {
        continue;
      }
      // md5sum(1) writes "<hash>  <name>" or "<hash> *<name>" (binary mode).
      if (line.length() < 35
          || !Digest.isValid(DigestAlgorithm.MD5, line.substring(0, 32))
          || line.charAt(32) != ' '
          || (line.charAt(33) != ' ' && line.charAt(33) != '*')) {
        warnings.add(
            file
                + ":"
                + lineNo
                + ": expected '<32 hex digits>  <path>', got '"
                + ControlParser.abbreviate(line)
                + "'; line skipped");
        continue;
      }
      String path = line.substring(34);
      if (!path.startsWith("/")) {
        path = "/" + path;
      }
      out.put(path, Digest.of(DigestAlgorithm.MD5, line.substring(0, 32)));
    }
    return out;
  }
}
