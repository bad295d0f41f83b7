package io.kickdrift.server.kickstart;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line as pykickstart does with {@code shlex.split}: whitespace separates words,
 * quotes group them, a backslash escapes, and a {@code #} starting a word comments out the rest.
 */
final class Words {
  private Words() {}

  /** The words of one line; throws IllegalArgumentException("no closing quotation"). */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '#' && !inWord) {
        break;
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
      } else if (c == '\\' && i + 1 < line.length()) {
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
      // In POSIX shells, and shlex, a backslash in double quotes escapes only these.
      if (c == '\\' && i + 1 < line.length() && "\\\"$`".indexOf(line.charAt(i + 1)) >= 0) {
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
