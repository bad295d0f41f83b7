package io.kickdrift.server.distros;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The INI dialect Python's configparser reads and productmd writes: {@code [section]} headers,
 * {@code key = value} (or {@code key: value}) lines, {@code #} and {@code ;} comment lines. Keys
 * keep their case (productmd writes them lower-case; checksum paths need theirs); a repeated
 * section or key is an error, as in configparser's strict mode.
 */
final class Ini {
  /** A value and the line it is on. */
  record Value(String text, int line) {}

  private final Map<String, Map<String, Value>> sections;
  private final int lines;

  private Ini(Map<String, Map<String, Value>> sections, int lines) {
    this.sections = sections;
    this.lines = lines;
  }

  static Ini parse(String text) throws TreeInfoException {
    Map<String, Map<String, Value>> sections = new LinkedHashMap<>();
    Map<String, Value> current = null;
    String[] lines = text.split("\r?\n|\r", -1);
    for (int i = 0; i < lines.length; i++) {
      int no = i + 1;
      String raw = lines[i];
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (!raw.isEmpty() && Character.isWhitespace(raw.charAt(0))) {
        throw new TreeInfoException(no, "indented line; expected KEY = VALUE or [SECTION]");
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]") || line.length() < 3) {
          throw new TreeInfoException(
              no, "'" + line + "' is not a section header; expected [NAME]");
        }
        String name = line.substring(1, line.length() - 1).strip();
        if (sections.containsKey(name)) {
          throw new TreeInfoException(no, "section [" + name + "] given twice");
        }
        current = new LinkedHashMap<>();
        sections.put(name, current);
        continue;
      }
      int eq = separator(line);
      if (eq <= 0) {
        throw new TreeInfoException(no, "'" + line + "'; expected KEY = VALUE");
      }
      if (current == null) {
        throw new TreeInfoException(no, "a key before any section; expected [SECTION] first");
      }
      String key = line.substring(0, eq).strip();
      if (current.containsKey(key)) {
        throw new TreeInfoException(no, "key '" + key + "' given twice in its section");
      }
      current.put(key, new Value(line.substring(eq + 1).strip(), no));
    }
    return new Ini(sections, Math.max(1, lines.length));
  }

  /** The first {@code =} or {@code :}, whichever comes first (configparser's delimiters). */
  private static int separator(String line) {
    int eq = line.indexOf('=');
    int colon = line.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
  }

  Optional<Value> get(String section, String key) {
    return Optional.ofNullable(sections.getOrDefault(section, Map.of()).get(key));
  }

  Map<String, Value> section(String name) {
    return sections.getOrDefault(name, Map.of());
  }

  List<String> sections() {
    return new ArrayList<>(sections.keySet());
  }

  /** The number of lines, for errors about something missing (reported at the end). */
  int lines() {
    return lines;
  }
}
