package io.kickdrift.agent.scan.secret;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One matcher per pattern over one file's text, reused line after line: a new matcher for each line
 * and pattern cost more than the matching itself.
 */
final class Matchers {
  private final String text;
  private final Map<Pattern, Matcher> byPattern = new IdentityHashMap<>();

  Matchers(String text) {
    this.text = text;
  }

  String text() {
    return text;
  }

  /**
   * {@code p}'s matcher over {@code text[start, end)}, with transparent bounds for look-arounds.
   */
  Matcher on(Pattern p, int start, int end) {
    Matcher m = byPattern.computeIfAbsent(p, k -> k.matcher(text).useTransparentBounds(true));
    return m.region(start, end);
  }
}
