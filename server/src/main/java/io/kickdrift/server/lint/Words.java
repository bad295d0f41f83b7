package io.kickdrift.server.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line as pykickstart does with {@code shlex.split(line, comments=True)}:
 * whitespace separates words, quotes group them, a backslash escapes, and a {@code #} outside
 * quotes comments out the rest, even inside a word ({@code --url=http://h/#x} is {@code
 * --url=http://h/}).
 */
final class Words {
  private Words() {}

  /**
   * The words of one line; throws IllegalArgumentException("no closing quotation") or ("no escaped
   * character", a backslash ending the line), where shlex raises ValueError.
   */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { // shlex's white space, no other
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '#') {
        break; // shlex: a comment ends the word, wherever it starts
      } else if (c == '\'') {
        int close = line.indexOf('\'', i + 1);
        if (close < 0) {
          throw new IllegalArgumentException("no closing quotation");
        }
        word.append(line, i + 1, close);
        inWord = true;
        i = close + 1;
      } else if (c == '"') {
        i = doubleQuoted(line, i + 1, word);
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 == line.length()) {
          throw new IllegalArgumentException("no escaped character");
        }
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Appends a double-quoted string starting after its quote; returns the index after its end. */
  private static int doubleQuoted(String line, int from, StringBuilder word) {
    int i = from;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      // In shlex a backslash in double quotes escapes only the quote and itself ($ and ` stay).
      if (c == '\\' && i + 1 < line.length() && "\\\"".indexOf(line.charAt(i + 1)) >= 0) {
        word.append(line.charAt(i + 1));
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    throw new IllegalArgumentException("no closing quotation");
  }
}
