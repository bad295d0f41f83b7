package io.kickdrift.server.cli;

import java.io.PrintStream;

/**
 * The line a command redraws in place on a terminal while it works ({@code import}'s download,
 * {@code fleet scan}'s hosts): a bar of {@link #WIDTH} marks, then what it says, cut at 100 columns
 * so that it never wraps on a common terminal.
 */
final class StatusLine {
  static final int WIDTH = 30;

  private final PrintStream err;
  private int length;

  StatusLine(PrintStream err) {
    this.err = err;
  }

  /** Replaces the line with {@code [#####.....] text}, {@code filled} marks of {@link #WIDTH}. */
  void draw(int filled, String text) {
    String s = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + text;
    clear();
    err.print(s.length() > 100 ? s.substring(0, 100) : s);
    length = Math.min(s.length(), 100);
    err.flush();
  }

  /** Blanks the line, the cursor at its start: for a line printed above it, or for what follows. */
  void clear() {
    err.print("\r" + " ".repeat(length) + "\r");
    length = 0;
  }
}
