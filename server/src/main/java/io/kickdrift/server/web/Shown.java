package io.kickdrift.server.web;

import io.kickdrift.server.guard.Invisibles;
import java.util.Locale;

/**
 * A value as a console page shows it: at most {@link #MAX} characters (then "…"), and every
 * invisible or direction-changing character (U+202E, zero-width spaces, controls) written out as
 * {@code ‹U+202E›}, so that what a page shows is what the value holds. Line breaks and tabs stay
 * (files are shown line by line). HTML escaping is the template's (auto-escaped {@code .ftlh}).
 */
public final class Shown {
  /** The longest value or line a page shows whole. */
  public static final int MAX = 2000;

  private Shown() {}

  /** {@code value} cut and with its invisibles written out; "" for null. */
  public static String text(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX + 16));
    int shown = 0;
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      i += Character.charCount(c);
      if (shown >= MAX) {
        out.append('…');
        break;
      }
      if (c != '\n' && c != '\t' && Invisibles.is(c)) {
        out.append(String.format(Locale.ROOT, "‹U+%04X›", c));
      } else {
        out.appendCodePoint(c);
      }
      shown++;
    }
    return out.toString();
  }

  /** A multi-line text cut line by line ({@link #text} each) and at {@code maxLines} lines. */
  public static String lines(String value, int maxLines) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (String line : value.split("\n", -1)) {
      if (n++ == maxLines) {
        out.append("… (cut at ").append(maxLines).append(" lines)\n");
        break;
      }
      out.append(text(line)).append('\n');
    }
    return out.toString();
  }
}
