package io.kickdrift.agent.scan.secret;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The INI or TOML {@code [section]} each line is in, to name a key {@code [client] password}. */
final class Sections {
  private static final Pattern HEADER =
      Pattern.compile("[ \\t]*\\[\\[?([^\\[\\]\\n=]{1,80})]]?[ \\t\\r]*");
  private final TreeMap<Integer, String> byLine = new TreeMap<>();

  Sections(String text, InlineSecrets.Lines lines) {
    for (int i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
      int line = lines.indexOf(i);
      int s = lines.start(line);
      if (!text.substring(s, i).isBlank()) {
        i = Math.max(i, lines.end(line));
        continue;
      }
      Matcher m = HEADER.matcher(text).region(s, lines.end(line));
      if (m.matches()) {
        byLine.put(line, m.group(1).strip());
      }
      i = Math.max(i, lines.end(line));
    }
  }

  String at(int line) {
    Map.Entry<Integer, String> e = byLine.floorEntry(line);
    return e == null ? null : e.getValue();
  }
}
