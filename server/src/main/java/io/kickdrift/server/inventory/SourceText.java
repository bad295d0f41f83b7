package io.kickdrift.server.inventory;

import io.kickdrift.server.guard.Invisibles;
import io.kickdrift.server.guard.StrictUtf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * An inventory file made into text before any parser sees it: at most {@link ReadLimits#fileBytes}
 * read, strictly decoded as UTF-8, free of invisible characters (see {@link Invisibles}; tab and
 * line breaks aside), and for YAML no line longer than {@link ReadLimits#lineChars}. The first
 * problem is reported at its own line and column: the parsers would report a malformed byte where
 * they happened to notice it, and count U+0085, U+2028 and U+2029 as line breaks where editors do
 * not.
 */
final class SourceText {
  private SourceText() {}

  /**
   * Reads at most {@code limits.fileBytes() + 1} bytes of {@code in}, so that a huge file costs no
   * more than a file just over the limit.
   */
  static byte[] read(String name, InputStream in, ReadLimits limits)
      throws IOException, InventoryException {
    byte[] bytes = in.readNBytes(limits.fileBytes() + 1);
    if (bytes.length > limits.fileBytes()) {
      throw tooLarge(name, limits);
    }
    return bytes;
  }

  /** The problem of a file over {@link ReadLimits#fileBytes}. */
  static InventoryException tooLarge(String name, ReadLimits limits) {
    return problem(
        name,
        1,
        1,
        "larger than "
            + limits.fileBytes()
            + " bytes; expected an inventory of at most "
            + mib(limits.fileBytes()));
  }

  /** The text of {@code bytes}, without a leading byte-order mark. */
  static String decode(String name, byte[] bytes, boolean yaml, ReadLimits limits)
      throws InventoryException {
    String text;
    try {
      text = StrictUtf8.decode(bytes);
    } catch (StrictUtf8.MalformedException e) {
      // the bytes before the bad one are UTF-8: they give its line and column
      String before = new String(bytes, 0, e.offset(), StandardCharsets.UTF_8);
      Cursor at = Cursor.scan(before, before.length());
      throw problem(
          name,
          at.line,
          at.column,
          String.format(
              Locale.ROOT,
              "invalid UTF-8 (byte 0x%02x); expected UTF-8 text",
              bytes[e.offset()] & 0xff));
    }
    if (text.startsWith("\ufeff")) {
      text = text.substring(1);
    }
    check(name, text, yaml ? limits.lineChars() : Integer.MAX_VALUE);
    return text;
  }

  private static void check(String name, String text, int lineChars) throws InventoryException {
    int line = 1;
    int lineStart = 0;
    int column = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (c == '\n' || c == '\r') {
        i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
        line++;
        lineStart = i;
        column = 1;
        continue;
      }
      if (c != '\t' && Invisibles.is(c)) {
        throw problem(
            name,
            line,
            column,
            Invisibles.describe(c)
                + "; expected text without control, format or line-separator characters"
                + " (tab and line breaks aside)");
      }
      if (i - lineStart >= lineChars) {
        throw problem(
            name,
            line,
            1,
            "line longer than "
                + lineChars
                + " characters; expected shorter lines (YAML's scanner takes time growing with"
                + " the square of a line's length)");
      }
      i += Character.charCount(c);
      column++;
    }
  }

  private static String mib(int bytes) {
    return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }

  private static InventoryException problem(String name, int line, int column, String message) {
    return new InventoryException(
        List.of(name + ":" + line + ":" + column + ": (file): " + message));
  }

  /** The line and column after the first {@code end} characters of {@code text}. */
  private record Cursor(int line, int column) {
    static Cursor scan(CharSequence text, int end) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < end; i++) {
        char c = text.charAt(i);
        if (c == '\n' || c == '\r' && (i + 1 >= end || text.charAt(i + 1) != '\n')) {
          line++;
          column = 1;
        } else if (c != '\r' && !Character.isLowSurrogate(c)) {
          column++;
        }
      }
      return new Cursor(line, column);
    }
  }
}
