package io.kickdrift.server.inventory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.kickdrift.server.guard.Invisibles;
import io.kickdrift.server.guard.LogText;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where each node of a parsed document starts, by field path ({@code hosts[1].interfaces[0].mac}).
 * A field's position is that of its key; a list entry's is that of its first token. While reading,
 * it also finds what no key or value may be, whatever its field: given twice in one mapping, longer
 * than {@link ReadLimits#scalarChars} (reading stops there), or holding an {@link Invisibles
 * invisible character} (a line break only where a key is documented as multi-line).
 */
final class SourceLines {
  /** A 1-based line and column. */
  record Position(int line, int column) {
    @Override
    public String toString() {
      return line + ":" + column;
    }
  }

  private static final Position START = new Position(1, 1);

  /** The one key whose value may span lines: storage commands, one per line. */
  private static final Pattern MULTI_LINE = Pattern.compile("profiles\\[\\d+\\]\\.partitioning");

  private final Map<String, Position> positions;
  private final List<String> problems;

  private SourceLines(Map<String, Position> positions, List<String> problems) {
    this.positions = positions;
    this.problems = List.copyOf(problems);
  }

  /**
   * Keys given twice, over-long and invisible-character keys and values, as {@code line:column:
   * path: message}, in file order; when not empty, the document must not be used.
   */
  List<String> problems() {
    return problems;
  }

  /**
   * Reads every token of {@code parser}, which the caller closes, copying each into {@code copy}
   * (when not null) so the document is parsed once for positions and values both; stops at the
   * first key or value longer than {@code scalarChars}.
   */
  static SourceLines read(JsonParser parser, TokenBuffer copy, int scalarChars) throws IOException {
    Map<String, Position> positions = new HashMap<>();
    List<String> problems = new ArrayList<>();
    Deque<Frame> frames = new ArrayDeque<>();
    try {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        Frame top = frames.peek();
        if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
          String text = parser.getText();
          Position here = position(parser.currentTokenLocation());
          String path = token == JsonToken.FIELD_NAME ? key(top, text) : value(top);
          Position at = positions.getOrDefault(path, here);
          if (text.length() > scalarChars) {
            problems.add(
                problem(
                    at,
                    path,
                    (token == JsonToken.FIELD_NAME ? "a key of " : "")
                        + text.length()
                        + " characters; expected at most "
                        + scalarChars));
            break;
          }
          boolean multiLine = token == JsonToken.VALUE_STRING && MULTI_LINE.matcher(path).matches();
          int bad = Invisibles.find(text, multiLine);
          if (bad >= 0) {
            problems.add(
                problem(
                    at,
                    path,
                    (token == JsonToken.FIELD_NAME ? "the key has " : "has ")
                        + Invisibles.describe(text.codePointAt(bad))
                        + " at character "
                        + (text.codePointCount(0, bad) + 1)
                        + "; expected "
                        + (multiLine ? "lines" : "one line")
                        + " of text without control or format characters"));
          }
        }
        if (copy != null) {
          copy.copyCurrentEvent(parser);
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          frames.pop();
          continue;
        }
        if (token == JsonToken.FIELD_NAME) {
          top.field = parser.currentName();
          Position here = position(parser.currentTokenLocation());
          Position first = positions.putIfAbsent(top.child(), here);
          if (first != null) {
            problems.add(
                problem(here, top.child(), "duplicate key; first at line " + first.line()));
          }
          continue;
        }
        String path = "";
        if (top != null) {
          if (top.array) {
            top.index++;
          }
          path = top.child();
          positions.putIfAbsent(path, position(parser.currentTokenLocation()));
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          frames.push(new Frame(path, token == JsonToken.START_ARRAY));
        }
      }
    } catch (StreamConstraintsException e) {
      // JSON's parser enforces the same limit itself, reading no further than it
      Frame top = frames.peek();
      String path =
          top == null ? "(top level)" : top.array || top.field == null ? top.path : top.child();
      problems.add(
          problem(
              position(parser.currentTokenLocation()),
              path.isEmpty() ? "(top level)" : path,
              "over " + scalarChars + " characters; expected at most " + scalarChars));
    }
    return new SourceLines(positions, problems);
  }

  /** A problem as {@link #problems} lists it: {@code line:column: path: message}. */
  private static String problem(Position at, String path, String message) {
    return at + ": " + LogText.of(path) + ": " + message;
  }

  /** The path a key names (top is never null: a key is inside a mapping). */
  private static String key(Frame top, String name) {
    return top.path.isEmpty() ? name : top.path + "." + name;
  }

  /** The path of the value token now read, before the frame counts it. */
  private static String value(Frame top) {
    if (top == null) {
      return "";
    }
    return top.array ? top.path + "[" + (top.index + 1) + "]" : top.child();
  }

  /** The position of {@code path}, or of its nearest enclosing node, or 1:1. */
  Position of(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      Position found = positions.get(p);
      if (found != null) {
        return found;
      }
    }
    return START;
  }

  static Position position(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return START;
    }
    return new Position(location.getLineNr(), Math.max(1, location.getColumnNr()));
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  private static final class Frame {
    final String path;
    final boolean array;
    String field;
    int index = -1;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }

    String child() {
      if (array) {
        return path + "[" + index + "]";
      }
      return path.isEmpty() ? field : path + "." + field;
    }
  }
}
