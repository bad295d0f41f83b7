package io.kickdrift.server.inventory;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML or JSON parser's complaint in words a person who edits an inventory understands: what was
 * found, what was expected, what to check. SnakeYAML and Jackson describe their own state ("while
 * scanning a simple key", "Unexpected close marker"); the position is given apart, by the caller.
 */
public final class SyntaxText {
  private record Rule(Pattern pattern, Function<Matcher, String> text) {
    static Rule of(String regex, Function<Matcher, String> text) {
      return new Rule(Pattern.compile(regex, Pattern.DOTALL), text);
    }

    static Rule of(String regex, String text) {
      return of(regex, m -> text);
    }
  }

  private static final List<Rule> YAML =
      List.of(
          Rule.of(
              "found character '(\\\\t|\t)|\\(TAB\\)",
              "a tab; YAML indents with spaces only (replace the tab with spaces)"),
          Rule.of(
              "mapping values are not allowed",
              "a ':' where no key can start; expected 'key: value' indented like the lines"
                  + " above (check the indentation, or quote a value that contains ': ')"),
          Rule.of(
              "could not find expected ':'",
              "a line that is not 'key: value'; expected a ':' after the key (check the"
                  + " indentation, or quote the value)"),
          Rule.of(
              "quoted scalar.*(end of stream|<stream end>)",
              "a quote that is never closed; expected the closing quote"),
          Rule.of(
              "flow sequence.*(end of stream|<stream end>)",
              "the file ends inside [ ... ]; expected ',' or ']'"),
          Rule.of(
              "flow mapping.*(end of stream|<stream end>)",
              "the file ends inside { ... }; expected ',' or '}'"),
          Rule.of("flow sequence", "inside [ ... ]: expected ',' or ']' after each item"),
          Rule.of("flow mapping", "inside { ... }: expected ',' or '}' after each 'key: value'"),
          Rule.of(
              "flow node.*(end of stream|<stream end>)",
              "the file ends inside an unclosed '[' or '{'; expected it closed"),
          Rule.of(
              "expected <block end>|block mapping|block collection",
              "indented differently from the lines above; expected the same indentation as"
                  + " the entries it belongs with"),
          Rule.of(
              "undefined alias",
              "an alias (*name) with no anchor (&name) before it; expected the anchor first"),
          Rule.of(
              "found character '(.)'",
              m ->
                  "'"
                      + m.group(1)
                      + "' cannot start a value; quote the value (e.g. \"...\") if it is text"),
          Rule.of(
              "found unknown escape character",
              "an unknown escape in a double-quoted string; use single quotes, or \\\\ for a"
                  + " backslash"));

  private static final List<Rule> JSON =
      List.of(
          Rule.of(
              "end-of-input",
              "the file ends early; expected the closing ']' or '}' of what is still open"),
          Rule.of(
              "Unexpected close marker '(.)': expected '(.)'",
              m -> "'" + m.group(1) + "' closes nothing here; expected '" + m.group(2) + "'"),
          Rule.of(
              "Unexpected character \\('(.)'.*?expect(?:ed|ing) (a valid value|a value|double-quote)",
              m ->
                  "an unexpected '"
                      + m.group(1)
                      + "'; expected "
                      + (m.group(2).startsWith("double") ? "a key in double quotes" : "a value")),
          Rule.of(
              "Unexpected character \\('(.)'.*?expect(?:ed|ing) (comma|a comma)",
              m -> "an unexpected '" + m.group(1) + "'; expected ',' between entries"),
          Rule.of(
              "Unexpected character \\('(.)'",
              m -> "an unexpected '" + m.group(1) + "'; check the commas, quotes and brackets"),
          Rule.of(
              "Unrecognized token '([^']*)'",
              m ->
                  "'"
                      + m.group(1)
                      + "' is not a JSON value; expected a string in double quotes, a number,"
                      + " true or false"));

  private SyntaxText() {}

  /** The plain-words reading of {@code message} (null: the parser gave none). */
  public static String of(String message, boolean json) {
    String m = message == null ? "" : message;
    for (Rule r : json ? JSON : YAML) {
      Matcher matcher = r.pattern().matcher(m);
      if (matcher.find()) {
        return r.text().apply(matcher);
      }
    }
    return json
        ? "not valid JSON here; check the brackets, commas and double quotes on this line"
        : "not valid YAML here; check the indentation, quotes and brackets on this line and the"
            + " one above";
  }
}
