package io.kickdrift.server.desired.ansible;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A desired file's template ({@code templates/PATH.ftl}, as {@code adopt} writes it:
 * docs/desired-state.md) as a Jinja2 template for Ansible: each {@code [=host.NAME]} becomes
 * {@code {{ kickdrift_host.NAME }}} (with {@code | upper} for {@code ?upper_case}), each escaped
 * character {@code [="c"]} the character again, and the text's own Jinja syntax ({@code {{},
 * {@code {%}, {@code {#}) is written as string expressions so that it stays literal.
 */
public final class JinjaTemplate {
  private static final Pattern TOKEN =
      Pattern.compile("\\[=(?:host\\.([A-Za-z0-9_]+)(\\?upper_case)?|\"([^\"\\\\])\")\\]");
  private static final Pattern FTL = Pattern.compile("\\[=|</?[#@]|\\[/?[#@]");

  private JinjaTemplate() {}

  /**
   * The Jinja2 text of {@code ftl}.
   *
   * @throws IllegalArgumentException when the template holds Freemarker other than adopt's own
   *     forms (someone edited it), naming {@code where} and the line
   */
  public static String of(String where, String ftl) {
    List<String[]> pieces = new ArrayList<>(); // {literal} or {null, expression}
    Matcher m = TOKEN.matcher(ftl);
    int at = 0;
    StringBuilder literal = new StringBuilder();
    while (m.find()) {
      literal.append(ftl, at, m.start());
      checkPlain(where, ftl, at, m.start());
      if (m.group(3) != null) {
        literal.append(m.group(3));
      } else {
        pieces.add(new String[] {literal.toString()});
        literal.setLength(0);
        pieces.add(
            new String[] {
              null,
              "{{ kickdrift_host." + m.group(1) + (m.group(2) != null ? " | upper" : "") + " }}"
            });
      }
      at = m.end();
    }
    checkPlain(where, ftl, at, ftl.length());
    literal.append(ftl, at, ftl.length());
    pieces.add(new String[] {literal.toString()});
    StringBuilder out = new StringBuilder(ftl.length() + 64);
    for (int i = 0; i < pieces.size(); i++) {
      String[] p = pieces.get(i);
      if (p[0] == null) {
        out.append(p[1]);
      } else {
        boolean beforeExpression = i + 1 < pieces.size() && pieces.get(i + 1)[0] == null;
        out.append(escape(p[0], beforeExpression));
      }
    }
    return out.toString();
  }

  /** Literal text for Jinja: a brace that would open a tag is written as an expression. */
  static String escape(String text, boolean beforeExpression) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : beforeExpression ? '{' : 0;
      if (c == '{' && (next == '{' || next == '%' || next == '#')) {
        b.append("{{ '{' }}");
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static void checkPlain(String where, String ftl, int from, int to) {
    Matcher f = FTL.matcher(ftl).region(from, to);
    if (f.find()) {
      int line = 1 + (int) ftl.substring(0, f.start()).chars().filter(c -> c == '\n').count();
      throw new IllegalArgumentException(
          where
              + ":"
              + line
              + ": Freemarker other than adopt's [=host.NAME] and [=\"c\"]; the Ansible export"
              + " cannot translate it");
    }
  }
}
