package io.kickdrift.agent.pkgdb.dpkg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses deb822 text (dpkg's status file, updates journal entries, .deb control files). */
final class ControlParser {
  private ControlParser() {}

  /** Parses strictly: the first malformed line is an error. */
  static List<Stanza> parse(String file, String text) throws DpkgParseException {
    List<String> problems = new ArrayList<>();
    List<Stanza> out = parse(file, text, problems);
    if (!problems.isEmpty()) {
      throw new DpkgParseException(problems.get(0));
    }
    return out;
  }

  /**
   * Parses leniently: a malformed line costs only its own paragraph, with a message naming the file
   * and line added to {@code warnings}, so one corrupted entry never hides the others.
   */
  static List<Stanza> parse(String file, String text, List<String> warnings) {
    List<Stanza> out = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, Integer> fieldLines = new LinkedHashMap<>();
    String lastField = null;
    boolean broken = false;
    int start = 0;
    int lineNo = 0;
    int pos = 0;
    int len = text.length();
    while (pos <= len) {
      int nl = text.indexOf('\n', pos);
      if (nl < 0) {
        nl = len;
      }
      String line = text.substring(pos, nl);
      pos = nl + 1;
      lineNo++;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank()) {
        if (!fields.isEmpty() && !broken) {
          out.add(new Stanza(start, fields, fieldLines));
          fields = new LinkedHashMap<>();
          fieldLines = new LinkedHashMap<>();
        }
        lastField = null;
        broken = false;
        if (nl == len) {
          break;
        }
        continue;
      }
      char c = line.charAt(0);
      if (broken) {
        if (nl == len) {
          break;
        }
        continue;
      }
      String problem = null;
      if ((c == ' ' || c == '\t') && lastField == null) {
        problem = "continuation line outside a field";
      } else if (c != ' ' && c != '\t' && c != '#') {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          problem = "expected 'Field: value', got '" + abbreviate(line) + "'";
        } else if (fields.containsKey(line.substring(0, colon))) {
          problem = "duplicate field " + line.substring(0, colon);
        }
      }
      if (problem != null) {
        warnings.add(file + ":" + lineNo + ": " + problem + "; paragraph skipped");
        broken = true;
        fields = new LinkedHashMap<>();
        fieldLines = new LinkedHashMap<>();
        lastField = null;
        if (nl == len) {
          break;
        }
        continue;
      }
      if (c == ' ' || c == '\t') {
        fields.merge(lastField, line.substring(1), (a, b) -> a + "\n" + b);
      } else if (c == '#') {
        continue;
      } else {
        int colon = line.indexOf(':');
        String name = line.substring(0, colon);
        if (fields.isEmpty()) {
          start = lineNo;
        }
        fields.put(name, line.substring(colon + 1).strip());
        fieldLines.put(name, lineNo);
        lastField = name;
      }
      if (nl == len) {
        break;
      }
    }
    if (!fields.isEmpty() && !broken) {
      out.add(new Stanza(start, fields, fieldLines));
    }
    return out;
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
