package io.kickdrift.agent.pkgdb.dpkg;

import java.util.Map;

/**
 * One paragraph of a deb822 control file: field names as written, values with continuation lines
 * joined by {@code \n} (the first line's value stays on line one).
 *
 * @param line the line number where the paragraph starts
 * @param fieldLines the line number where each field starts, for warnings about its value
 */
record Stanza(int line, Map<String, String> fields, Map<String, Integer> fieldLines) {
  /** The line where field {@code name} starts, or the paragraph's first line if it is absent. */
  int lineOf(String name) {
    for (Map.Entry<String, Integer> e : fieldLines.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return line;
  }

  String get(String name) {
    String v = fields.get(name);
    if (v != null) {
      return v;
    }
    // Field names are case-insensitive in deb822.
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
