package io.kickdrift.server.guard;

/**
 * Text a client sent (a file name, a path, a header), made fit for one log line: control and other
 * invisible characters shown as {@code \xNN} or {@code \\uNNNN} (so a name cannot forge a second
 * log line), and anything past {@code max} characters cut, with how much was left out.
 */
public final class LogText {
  /** What {@link #of(String)} keeps: enough for any real file name or URL path. */
  public static final int DEFAULT_MAX = 200;

  private LogText() {}

  /** {@code text} made printable and cut to {@link #DEFAULT_MAX} characters. */
  public static String of(String text) {
    return of(text, DEFAULT_MAX);
  }

  /** {@code text} made printable and cut to {@code max} characters of the original. */
  public static String of(String text, int max) {
    if (text == null) {
      return "(none)";
    }
    int end = Math.min(text.length(), max);
    if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    StringBuilder out = new StringBuilder(end + 16);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else if (c == '\\') {
        out.append("\\\\");
      } else if (Character.isHighSurrogate(c)
          && i + 1 < end
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Invisibles.is(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (end < text.length()) {
      out.append("…(").append(text.length() - end).append(" more characters)");
    }
    return out.toString();
  }
}
