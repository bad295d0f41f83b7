package io.kickdrift.server.guard;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a message for people must never contain: "null", a Java exception class name, the words
 * SnakeYAML and Jackson use for their own state, a stack trace. Shared by the tests of messages.
 */
public final class PlainWords {
  private static final List<Pattern> FORBIDDEN =
      Stream.of(
              "\\bnull\\b",
              "\\b[a-z]+(\\.[a-z]+)+\\.[A-Z]\\w*(Exception|Error)\\b",
              "Exception:",
              "\\b[A-Z][a-z]\\w*(Exception|Error)\\b",
              // SnakeYAML
              "mapping values are not allowed",
              "while scanning",
              "while parsing",
              "could not find expected",
              "<stream end>|<block end>|<block mapping start>",
              "found character",
              "\\(TAB\\)",
              // Jackson
              "Unrecognized token",
              "Unexpected character",
              "Unexpected close marker",
              "was expecting",
              "Source: ",
              "StreamReadFeature",
              "Cannot deserialize",
              "\\(code \\d+\\)",
              // a stack trace
              "\\n\\s+at [\\w.$]+\\(")
          .map(Pattern::compile)
          .toList();

  private PlainWords() {}

  /** The forbidden patterns {@code text} matches: empty when it is plain words. */
  public static List<String> jargonIn(String text) {
    return FORBIDDEN.stream().filter(p -> p.matcher(text).find()).map(Pattern::pattern).toList();
  }
}
