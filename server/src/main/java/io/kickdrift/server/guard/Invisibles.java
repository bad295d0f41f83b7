package io.kickdrift.server.guard;

import java.util.Locale;

/**
 * Characters that end or hide lines: no inventory value may hold them (they would end or hide lines
 * in the files values are written into), and a log line shows them escaped ({@link LogText}). C0
 * and C1 controls (NUL, tab, CR, LF, ESC, NEL U+0085), DEL, the line and paragraph separators
 * U+2028 and U+2029 (line breaks to YAML 1.1, JavaScript and some editors), format characters (bidi
 * overrides such as U+202E, zero-width spaces and joiners, the BOM), lone surrogates and the
 * non-characters U+FFFE and U+FFFF.
 */
public final class Invisibles {
  private Invisibles() {}

  /** Whether {@code codePoint} is one of the characters above. */
  public static boolean is(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.CONTROL
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || (codePoint & 0xfffe) == 0xfffe;
  }

  /**
   * The index of the first such character in {@code text}, or -1; {@code '\n'} passes when {@code
   * lineBreaks} is true (for the keys documented as multi-line).
   */
  public static int find(String text, boolean lineBreaks) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (is(c) && !(lineBreaks && c == '\n')) {
        return i;
      }
      i += Character.charCount(c);
    }
    return -1;
  }

  /** {@code U+000A (LINE FEED (LF))}: the code point and its Unicode name. */
  public static String describe(int codePoint) {
    String name = Character.getName(codePoint);
    return String.format(Locale.ROOT, "U+%04X", codePoint)
        + (name == null ? "" : " (" + name + ")");
  }
}
